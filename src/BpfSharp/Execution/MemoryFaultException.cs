namespace BpfSharp.Execution;

/// <summary>A load or store outside every region the program may touch (bounds-checked mode).</summary>
internal sealed class MemoryFaultException(string program, int instructionIndex, ulong address, int size,
    MemoryAccess access, IReadOnlyList<MemoryRegion> regions)
    : BpfRuntimeException(program, instructionIndex, Describe(address, size, access, regions))
{
    /// <summary>The first byte the instruction tried to touch.</summary>
    public ulong Address { get; } = address;

    /// <summary>How many bytes it tried to touch.</summary>
    public int Size { get; } = size;

    /// <summary>Whether it was a load or a store.</summary>
    public MemoryAccess Access { get; } = access;

    /// <summary>The regions it was allowed to touch at that moment.</summary>
    public IReadOnlyList<MemoryRegion> Regions { get; } = regions;

    static string Describe(ulong address, int size, MemoryAccess access, IReadOnlyList<MemoryRegion> regions)
    {
        var what = access == MemoryAccess.Read ? "load" : "store";
        var inside = regions.FirstOrDefault(r => r.Contains(address, (ulong)size));
        if (inside != default)
            return $"{what} of {size} bytes at 0x{address:x} is inside {inside}, which is not {(access == MemoryAccess.Read ? "readable" : "writable")}";
        var list = regions.Count == 0 ? "no region" : string.Join(" and ", regions);
        return $"{what} of {size} bytes at 0x{address:x} is outside {list}";
    }
}
