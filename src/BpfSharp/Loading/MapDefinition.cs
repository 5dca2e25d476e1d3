using BpfSharp.Maps;

namespace BpfSharp.Loading;

/// <summary>A map as an object defines it: the kernel attributes (<see cref="Spec"/>) plus what libbpf does when it
/// creates it — initial contents for global data, freezing of <c>.rodata</c>, static initialisation of program
/// arrays and map-in-map slots (<c>__array(values, …)</c> with <c>.values = { [i] = &amp;x }</c>).</summary>
/// <param name="Spec">The kernel attributes.</param>
/// <param name="InitialValue">For global data: the section's bytes, the value of key 0.</param>
/// <param name="Frozen">Whether the map is read-only after loading (<c>.rodata</c>, like libbpf's
/// <c>bpf_map_freeze</c>).</param>
/// <param name="InitialSlots">Static initialisation: slot → program name (prog array) or map name (map-in-map).</param>
/// <param name="Section">The ELF section that defines it (<c>.maps</c>, <c>maps</c>, <c>.bss</c> ...).</param>
/// <param name="Pinning">The <c>pinning</c> attribute (accepted; BpfSharp has no bpffs to pin to).</param>
/// <param name="SpinLockOffset">Where the value type holds a <c>struct bpf_spin_lock</c>, from the BTF, if it does.</param>
/// <param name="TimerOffset">Where the value type holds a <c>struct bpf_timer</c>, from the BTF, if it does.</param>
/// <param name="KeyType">The BTF type of a key (<c>__type(key, T)</c>); 0 when the definition gives only a size.</param>
/// <param name="ValueType">The BTF type of a value (<c>__type(value, T)</c>); 0 when the definition gives only a size.</param>
internal sealed record MapDefinition(MapSpec Spec, byte[]? InitialValue, bool Frozen, IReadOnlyDictionary<uint, string> InitialSlots,
    string Section, uint Pinning = 0, int? SpinLockOffset = null, int? TimerOffset = null, int KeyType = 0, int ValueType = 0)
{
    /// <summary>The map's name.</summary>
    public string Name => Spec.Name;
}
