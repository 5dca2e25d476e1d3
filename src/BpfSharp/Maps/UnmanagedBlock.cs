using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>A map's one preallocated, zeroed, unmanaged block. Its address never changes and it is freed only when the
/// map is, so a pointer a program keeps to an element stays memory-safe even after the element is deleted (the
/// kernel's preallocated maps reuse elements the same way).</summary>
internal sealed unsafe class UnmanagedBlock
{
    byte* start;

    /// <summary>Allocates <paramref name="length"/> zeroed bytes (at least one), 16-byte aligned, so 8-byte values
    /// and their atomics are aligned; throws <see cref="OutOfMemoryException"/> when the host has no room. Large
    /// blocks come zeroed from the OS, so untouched pages cost nothing, as the kernel's vmalloc'ed maps.</summary>
    public UnmanagedBlock(ulong length)
    {
        if (length > (ulong)nint.MaxValue) throw new OutOfMemoryException($"{length} bytes is more than the address space");
        Length = length;
        start = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(length, 1));
    }

    public byte* Start => start;

    public ulong Length { get; }

    /// <summary>The whole block as a region programs may touch with the given access.</summary>
    public Execution.MemoryRegion Region(string name, Execution.MemoryAccess access) => new(name, (ulong)start, Length, access);

    public Span<byte> Span(ulong offset, int length) => new(start + offset, length);

    public void Free()
    {
        if (start is null) return;
        NativeMemory.Free(start);
        start = null;
    }
}
