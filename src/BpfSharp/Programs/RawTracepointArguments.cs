namespace BpfSharp.Programs;

/// <summary>A raw tracepoint's test run (<c>bpf_prog_test_run_raw_tp</c>): <c>ctx_in</c> holds the tracepoint's
/// arguments, up to 12 u64s (MAX_BPF_FUNC_ARGS), and at least as many bytes as the program reads; no packet, one run.
/// Arguments the caller leaves out read as zero, but the program never reads them. BTF-typed tracing and LSM programs
/// (fentry, fexit, tp_btf, lsm) take their arguments the same way here; the kernel runs those only through the
/// functions they attach to. A pointer argument that points nowhere the run can read reads as zeros through it, as a
/// faulting probe load does in the kernel.</summary>
internal static class RawTracepointArguments
{
    const int MaxArguments = 12;

    /// <summary>The bytes of arguments a raw tracepoint has at most.</summary>
    internal const int Size = MaxArguments * sizeof(ulong);

    public static ContextSession Session(RunOptions options, int maxContextOffset, string kind = "raw tracepoint",
        (int Count, bool HasReturn)? trampoline = null)
    {
        if (options.Data is not null)
            throw new InvalidRunException($"{kind} test runs take no data_in: the arguments go in ctx_in", -Errno.EINVAL);
        if (options.Repeat != 1)
            throw new InvalidRunException($"{kind} test runs run once (repeat {options.Repeat})", -Errno.EINVAL);
        var length = options.Context?.Length ?? 0;
        if (length > Size)
            throw new InvalidRunException($"ctx_in is {length} bytes, more than a {kind}'s {MaxArguments} arguments ({Size} bytes)", -Errno.EINVAL);
        if (length < maxContextOffset)
            throw new InvalidRunException($"ctx_in is {length} bytes, but the program reads its arguments up to byte {maxContextOffset}", -Errno.EINVAL);
        return new RawSession(options, kind + " args", Size) { Trampoline = trampoline };
    }
}
