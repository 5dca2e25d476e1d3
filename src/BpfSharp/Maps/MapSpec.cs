using BpfSharp.Abi;
namespace BpfSharp.Maps;

/// <summary>What a map is, before it exists: the fields of the kernel's <c>BPF_MAP_CREATE</c> attributes. Deterministic
/// (the ELF loader produces the same spec on every machine); host-dependent choices such as the number of execution
/// slots are made when the map is created (<see cref="BpfMap.Create"/>).</summary>
/// <param name="Name">The map's name (its symbol in the object file, or what the host called it).</param>
/// <param name="Type">The kernel map type.</param>
/// <param name="KeySize"><c>key_size</c> in bytes.</param>
/// <param name="ValueSize"><c>value_size</c> in bytes.</param>
/// <param name="MaxEntries"><c>max_entries</c>; for a ring buffer, its size in bytes.</param>
/// <param name="Flags"><c>map_flags</c>: a combination of <see cref="MapFlags"/>.</param>
/// <param name="MapExtra"><c>map_extra</c>: for a bloom filter, the number of hash functions (0 means 5).</param>
/// <param name="InnerMap">For an array or hash of maps, the template every inner map must match.</param>
internal sealed record MapSpec(string Name, MapType Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags = 0,
    ulong MapExtra = 0, MapSpec? InnerMap = null)
{
    /// <summary>About what the map would take with <paramref name="slots"/> execution slots: each entry's key and value
    /// (one value per slot for per-CPU maps), a ring buffer's bytes. An estimate for budgets, computed without
    /// overflow whatever the declared sizes.</summary>
    internal ulong DeclaredMemory(int slots)
    {
        UInt128 perEntry = Type switch
        {
            MapType.Ringbuf => 1,
            MapType.PercpuArray or MapType.PercpuHash or MapType.LruPercpuHash => KeySize + (UInt128)ValueSize * (uint)Math.Max(1, slots),
            _ => (UInt128)KeySize + ValueSize,
        };
        var bytes = perEntry * MaxEntries;
        return bytes > ulong.MaxValue ? ulong.MaxValue : (ulong)bytes;
    }
}
