using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>What a BPF iterator writes to the seq file its reader reads (kernel/trace/bpf_trace.c):
/// <c>bpf_seq_printf</c> (126), the kernel's printf rules over an array of u64 arguments, and <c>bpf_seq_write</c>
/// (127), bytes as they are. Both return 0, or -EOVERFLOW once the output is full; the verifier gives them to
/// <c>iter/</c> programs alone.</summary>
internal static class SeqHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SeqPrintf, "bpf_seq_printf", Printf);
        table.RegisterBuiltIn((int)HelperId.SeqWrite, "bpf_seq_write", Write);
    }

    static IteratorSession Session(Invocation inv, ulong seq, string helper) =>
        inv.ProgramState is IteratorSession session && session.Seq == seq ? session
            : throw inv.Fault($"{helper} needs the seq_file of a BPF iterator's run (r1 = ctx->meta->seq)");

    /// <summary><c>long bpf_seq_write(struct seq_file *m, const void *data, u32 len)</c>.</summary>
    static ulong Write(Invocation inv, ulong seq, ulong data, ulong length, ulong r4, ulong r5)
    {
        var session = Session(inv, seq, "bpf_seq_write");
        return Errno.Result(session.Write(HelperMemory.Buffer(inv, data, (uint)length, MemoryAccess.Read)));
    }

    /// <summary><c>long bpf_seq_printf(struct seq_file *m, const char *fmt, u32 fmt_size, const void *data, u32
    /// data_len)</c>: the format holds its NUL within fmt_size bytes; up to 12 u64 arguments.</summary>
    static ulong Printf(Invocation inv, ulong seq, ulong fmt, ulong fmtSize, ulong data, ulong dataLength)
    {
        var session = Session(inv, seq, "bpf_seq_printf");
        if (!PrintfHelpers.TryArgs(inv, data, (uint)dataLength, out var args)) return Errno.Result(-Errno.EINVAL);
        var line = new byte[OutputLine];
        var length = PrintfHelpers.Format(inv, HelperMemory.Buffer(inv, fmt, (uint)fmtSize, MemoryAccess.Read), args, line);
        return Errno.Result(length < 0 ? length : session.Write(line.AsSpan(0, Math.Min(length, line.Length - 1))));
    }

    /// <summary>The longest line one call formats (a seq file's page).</summary>
    const int OutputLine = 4096;
}
