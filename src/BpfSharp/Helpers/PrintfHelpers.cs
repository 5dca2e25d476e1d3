using System.Buffers.Binary;
using System.Text;
using BpfSharp.Execution;
using BpfSharp.Helpers.PrintfInternal;

namespace BpfSharp.Helpers;

/// <summary>The printf-like helpers: <c>bpf_trace_printk</c> (6) and <c>bpf_trace_vprintk</c> (177), which write a
/// line to the trace pipe (kernel/trace/bpf_trace.c), and <c>bpf_snprintf</c> (165), which formats into program
/// memory (kernel/bpf/helpers.c). All three take the kernel's format rules: %d %i %u %x %X with l or ll, %c, %s,
/// %%, %p with K x s S ks us B i4 I4 i6 I6, flags "0+- " and a width, no precision; anything else is -EINVAL.</summary>
internal static class PrintfHelpers
{
    /// <summary>MAX_BPRINTF_BUF: a trace line holds at most this many bytes with its NUL.</summary>
    const int TraceLineSize = 1024;

    /// <summary>MAX_TRACE_PRINTK_VARARGS: <c>bpf_trace_printk</c> always offers its three register arguments.</summary>
    const int TracePrintkArgs = 3;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.TracePrintk, "bpf_trace_printk", TracePrintk);
        table.RegisterBuiltIn((int)HelperId.TraceVprintk, "bpf_trace_vprintk", TraceVprintk);
        table.RegisterBuiltIn((int)HelperId.Snprintf, "bpf_snprintf", Snprintf);
    }

    /// <summary><c>long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)</c>: the format must hold its NUL within
    /// fmt_size bytes; returns the length of the line (before truncation to 1023 bytes).</summary>
    static ulong TracePrintk(Invocation inv, ulong fmt, ulong fmtSize, ulong a1, ulong a2, ulong a3) =>
        Trace(inv, HelperMemory.Buffer(inv, fmt, (uint)fmtSize, MemoryAccess.Read), [a1, a2, a3]);

    /// <summary><c>long bpf_trace_vprintk(const char *fmt, u32 fmt_size, const void *data, u32 data_len)</c>: up to 12
    /// u64 arguments in an array.</summary>
    static ulong TraceVprintk(Invocation inv, ulong fmt, ulong fmtSize, ulong data, ulong dataLength, ulong r5)
    {
        if (!TryArgs(inv, data, (uint)dataLength, out var args)) return Errno.Result(-Errno.EINVAL);
        return Trace(inv, HelperMemory.Buffer(inv, fmt, (uint)fmtSize, MemoryAccess.Read), args);
    }

    static ulong Trace(Invocation inv, ReadOnlySpan<byte> fmtRegion, ulong[] args)
    {
        var line = new byte[TraceLineSize];
        var length = Format(inv, fmtRegion, args, line);
        if (length < 0) return Errno.Result(length);
        // The trace event copies the line as a C string: a %c of 0 ends it there.
        var end = line.AsSpan().IndexOf((byte)0);
        var message = Encoding.UTF8.GetString(line, 0, end);
        inv.TracePipe.Write(new TraceEvent(inv.Task.Comm, inv.Task.Pid, inv.Slot, inv.TraceFlags, TimeHelpers.MonotonicNanoseconds(), message));
        return (ulong)length;
    }

    /// <summary>Formats into <paramref name="output"/> a format that must hold its NUL within its region (what
    /// <c>bpf_bprintf_prepare</c> checks of fmt_size): the length the whole output needs, or -errno.</summary>
    internal static int Format(Invocation inv, ReadOnlySpan<byte> fmtRegion, ulong[] args, Span<byte> output)
    {
        var nul = fmtRegion.IndexOf((byte)0);
        if (nul < 0) return -Errno.EINVAL;
        var fmt = fmtRegion[..nul];
        var error = BinaryArgs.Prepare(inv, fmt, args, out var packed);
        return error < 0 ? error : BinaryFormatter.Format(output, fmt, packed.Bytes);
    }

    /// <summary><c>long bpf_snprintf(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len)</c>: fmt is a
    /// constant string; returns the length the output needs including its NUL, though at most str_size bytes are
    /// written (str may be NULL with size 0, to ask for the length).</summary>
    static ulong Snprintf(Invocation inv, ulong str, ulong strSize, ulong fmt, ulong data, ulong dataLength)
    {
        if (!TryArgs(inv, data, (uint)dataLength, out var args)) return Errno.Result(-Errno.EINVAL);
        var format = HelperMemory.ConstString(inv, fmt);
        var error = BinaryArgs.Prepare(inv, format, args, out var packed);
        if (error < 0) return Errno.Result(error);
        var output = HelperMemory.Buffer(inv, str, (uint)strSize, MemoryAccess.Write);
        return (ulong)(BinaryFormatter.Format(output, format, packed.Bytes) + 1);
    }

    /// <summary>The u64 argument array of <c>bpf_snprintf</c>, <c>bpf_trace_vprintk</c> and <c>bpf_seq_printf</c>: a multiple of 8 bytes, at
    /// most 12 arguments, not NULL when non-empty.</summary>
    internal static bool TryArgs(Invocation inv, ulong data, uint length, out ulong[] args)
    {
        args = [];
        if (length % 8 != 0 || length > BinaryArgs.MaxArgs * 8 || (length != 0 && data == 0)) return false;
        var bytes = HelperMemory.Buffer(inv, data, length, MemoryAccess.Read);
        args = new ulong[length / 8];
        for (var i = 0; i < args.Length; i++) args[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        return true;
    }
}
