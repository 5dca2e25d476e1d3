using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Verification.State;

/// <summary>What the verifier needs to know of a map a program refers to.</summary>
/// <param name="Name">The map's name.</param>
/// <param name="Type">The map type.</param>
/// <param name="KeySize">Key size in bytes.</param>
/// <param name="ValueSize">Value size in bytes.</param>
/// <param name="MaxEntries">The number of entries.</param>
/// <param name="Flags">The map flags.</param>
/// <param name="Inner">For maps of maps, the inner maps' shape.</param>
/// <param name="SpinLockOffset">Where the value holds its <c>struct bpf_spin_lock</c> (known from the map's BTF), if it has one.</param>
/// <param name="TimerOffset">Where the value holds its <c>struct bpf_timer</c> (known from the map's BTF), if it has one.</param>
internal sealed record MapShape(string Name, MapType Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags, MapShape? Inner = null,
    int? SpinLockOffset = null, int? TimerOffset = null)
{
    /// <summary>Whether programs may only read its values (<c>BPF_F_RDONLY_PROG</c>, as <c>.rodata</c>; device maps
    /// always: the kernel sets the flag on them).</summary>
    public bool ReadOnlyForPrograms => (Flags & MapFlags.ReadOnlyProgram) != 0 || Type is MapType.Devmap or MapType.DevmapHash;

    /// <summary>The value of a map that is read-only for programs and frozen (libbpf's <c>.rodata</c> and
    /// <c>.kconfig</c>), whose bytes can no longer change: <c>bpf_map_is_rdonly</c> maps, read as constants.</summary>
    public byte[]? FrozenValue { get; init; }

    /// <summary>Whether the map was created with BTF for its key and value (maps of the <c>.maps</c> and global data
    /// sections; not those of the legacy <c>maps</c> section): the kernel names what is missing accordingly.</summary>
    public bool HasBtf { get; init; }

    /// <summary>Whether programs may only write its values (<c>BPF_F_WRONLY_PROG</c>).</summary>
    public bool WriteOnlyForPrograms => (Flags & MapFlags.WriteOnlyProgram) != 0;

    /// <summary>The shape of a map's spec.</summary>
    public static MapShape Of(MapSpec spec, int? spinLockOffset = null, int? timerOffset = null) => new(spec.Name, spec.Type, spec.KeySize,
        spec.ValueSize, spec.MaxEntries, spec.Flags, spec.InnerMap is { } inner ? Of(inner) : null, spinLockOffset, timerOffset);
}
