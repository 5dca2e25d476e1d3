namespace BpfSharp.Execution;

/// <summary>A range of memory a program may touch in bounds-checked mode: its stack, its context, the packet,
/// memory the host passed, a map value. Only BpfSharp makes them: a region is a promise that the memory is there.</summary>
internal readonly record struct MemoryRegion
{
    internal MemoryRegion(string name, ulong start, ulong length, MemoryAccess access) =>
        (Name, Start, Length, Access) = (name, start, length, access);

    /// <summary>What the memory is, for error messages ("stack", "packet", a map's name).</summary>
    public string Name { get; }

    /// <summary>The first address.</summary>
    public ulong Start { get; }

    /// <summary>The size in bytes.</summary>
    public ulong Length { get; }

    /// <summary>Whether programs may read it, write it, or both.</summary>
    public MemoryAccess Access { get; }

    /// <summary>Whether [address, address + size) lies inside the region; safe against wrap-around.</summary>
    public bool Contains(ulong address, ulong size) =>
        address >= Start && address - Start <= Length && size <= Length - (address - Start);

    /// <summary>"name [0x7f00…, 0x7f00…)" for error messages.</summary>
    public override string ToString() => $"{Name} [0x{Start:x}, 0x{Start + Length:x})";
}
