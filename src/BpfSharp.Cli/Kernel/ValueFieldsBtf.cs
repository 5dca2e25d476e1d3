namespace BpfSharp.Cli.Kernel;

/// <summary>BTF describing a map whose value holds a <c>struct bpf_spin_lock</c> or a <c>struct bpf_timer</c>, which
/// the kernel finds only through the map's BTF (btf_record): [1] the key, an unsigned INT of key_size bytes; [2] INT
/// 'int'; [3] INT 'u64'; [4] STRUCT 'bpf_spin_lock' { int val; }; [5] STRUCT 'bpf_timer' { u64 a, b; } (the kernel
/// checks its name and 16 bytes); [6] STRUCT 'value' of value_size bytes with member 'lock' and/or 'timer' at the
/// given offsets.</summary>
internal static class ValueFieldsBtf
{
    public const uint KeyTypeId = 1, ValueTypeId = 6;

    public static byte[] Build(int keySize, int valueSize, int? lockOffset, int? timerOffset)
    {
        var btf = new BtfBuilder();
        btf.Int("key", keySize, signed: false);
        var @int = btf.Int("int", 4, signed: true);
        var u64 = btf.Int("u64", 8, signed: false);
        var @lock = btf.Struct("bpf_spin_lock", 4, ("val", @int, 0));
        var timer = btf.Struct("bpf_timer", 16, ("a", u64, 0), ("b", u64, 8));
        var members = new List<(string, uint, int)>();
        if (lockOffset is { } l) members.Add(("lock", @lock, l));
        if (timerOffset is { } t) members.Add(("timer", timer, t));
        btf.Struct("value", valueSize, [.. members]);
        return btf.Build();
    }
}
