namespace BpfSharp.Cli.Kernel;

/// <summary>BTF describing a map whose value holds a <c>struct bpf_spin_lock</c>, which the kernel finds only through
/// the map's BTF (btf_record): [1] the key, an unsigned INT of key_size bytes; [2] INT 'int'; [3] STRUCT
/// 'bpf_spin_lock' { int val; }; [4] STRUCT 'value' of value_size bytes with member 'lock' at the given offset.</summary>
internal static class SpinLockBtf
{
    public const uint KeyTypeId = 1, ValueTypeId = 4;

    public static byte[] Build(int keySize, int valueSize, int lockOffset)
    {
        var btf = new BtfBuilder();
        btf.Int("key", keySize, signed: false);
        var @int = btf.Int("int", 4, signed: true);
        var @lock = btf.Struct("bpf_spin_lock", 4, ("val", @int, 0));
        btf.Struct("value", valueSize, ("lock", @lock, lockOffset));
        return btf.Build();
    }
}
