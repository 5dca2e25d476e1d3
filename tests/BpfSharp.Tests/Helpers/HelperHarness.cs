using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Execution;
using BpfSharp.Helpers;

namespace BpfSharp.Tests.Helpers;

/// <summary>Calls standard helpers directly, as the interpreter would, over unmanaged buffers registered as the
/// invocation's regions: <c>var s = h.Text("%d"); h.Call(HelperId.Snprintf, ...)</c>.</summary>
internal sealed unsafe class HelperHarness : IDisposable
{
    readonly List<nint> blocks = [];

    public HelperHarness(bool boundsChecked = true)
    {
        Invocation = new Invocation(StandardHelpers.Create()) { BoundsChecked = boundsChecked };
        // A run's stack bounds, which IsAccessible relies on.
        Invocation.BeginRun();
    }

    public Invocation Invocation { get; }

    /// <summary>A new region holding <paramref name="bytes"/>; its address.</summary>
    public ulong Alloc(byte[] bytes, string name = "buffer", MemoryAccess access = MemoryAccess.ReadWrite)
    {
        var block = (nint)NativeMemory.AllocZeroed((nuint)Math.Max(bytes.Length, 1));
        blocks.Add(block);
        bytes.CopyTo(new Span<byte>((void*)block, bytes.Length));
        Invocation.AddRegion(new MemoryRegion(name, (ulong)block, (ulong)bytes.Length, access));
        return (ulong)block;
    }

    /// <summary>A zeroed region of <paramref name="size"/> bytes.</summary>
    public ulong Zeroed(int size, string name = "buffer") => Alloc(new byte[size], name);

    /// <summary>A NUL-terminated string (UTF-8, or Latin-1 when <paramref name="latin1"/>), in a read-only region.</summary>
    public ulong Text(string text, bool latin1 = false) =>
        Alloc([.. (latin1 ? Encoding.Latin1 : Encoding.UTF8).GetBytes(text), 0], "string", MemoryAccess.Read);

    /// <summary>An array of u64 arguments (as <c>bpf_snprintf</c> takes them).</summary>
    public ulong U64s(params ulong[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return Alloc(bytes, "args", MemoryAccess.Read);
    }

    public Span<byte> Bytes(ulong address, int length) => new((void*)address, length);

    public long S64(ulong address) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(address, 8));

    /// <summary>The C string at an address (Latin-1, so every byte is one char).</summary>
    public string CString(ulong address, int max)
    {
        var bytes = Bytes(address, max);
        var end = bytes.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? bytes : bytes[..end]);
    }

    public ulong Call(HelperId id, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0) =>
        (Invocation.Helpers.Find((int)id) ?? throw new InvalidOperationException($"{id} is not registered"))(Invocation, r1, r2, r3, r4, r5);

    /// <summary>A result as the signed value a program sees.</summary>
    public long CallSigned(HelperId id, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0) =>
        (long)Call(id, r1, r2, r3, r4, r5);

    public void Dispose()
    {
        Invocation.Dispose();
        foreach (var block in blocks) NativeMemory.Free((void*)block);
    }
}
