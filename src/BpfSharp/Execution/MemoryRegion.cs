namespace BpfSharp.Execution;

/// <summary>A range of memory a program may touch in bounds-checked mode: its stack, its context, the packet,
/// memory the host passed, a map value.</summary>
public readonly record struct MemoryRegion(string Name, ulong Start, ulong Length, MemoryAccess Access)
{
    /// <summary>Whether [address, address + size) lies inside the region; safe against wrap-around.</summary>
    public bool Contains(ulong address, ulong size) =>
        address >= Start && address - Start <= Length && size <= Length - (address - Start);

    /// <summary>"name [0x7f00…, 0x7f00…)" for error messages.</summary>
    public override string ToString() => $"{Name} [0x{Start:x}, 0x{Start + Length:x})";
}
