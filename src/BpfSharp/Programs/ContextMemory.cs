using System.Runtime.InteropServices;

namespace BpfSharp.Programs;

/// <summary>Zeroed unmanaged memory for one test run's context or packet, at a fixed address the program can hold.</summary>
internal sealed unsafe class ContextMemory : IDisposable
{
    byte* start;

    public ContextMemory(int length)
    {
        Length = length;
        start = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), 16);
        NativeMemory.Clear(start, (nuint)Math.Max(length, 1));
    }

    public ulong Address => (ulong)start;

    public int Length { get; }

    public Span<byte> Span => new(start, Length);

    public void Dispose()
    {
        if (start is null) return;
        NativeMemory.AlignedFree(start);
        start = null;
    }
}
