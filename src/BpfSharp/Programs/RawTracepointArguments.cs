namespace BpfSharp.Programs;

/// <summary>A raw tracepoint's test run (<c>bpf_prog_test_run_raw_tp</c>): <c>ctx_in</c> holds the tracepoint's
/// arguments, up to 12 u64s (MAX_BPF_FUNC_ARGS), and at least as many bytes as the program reads; no packet, one run.
/// Arguments the caller leaves out read as zero, but the program never reads them.</summary>
internal static class RawTracepointArguments
{
    const int MaxArguments = 12;

    /// <summary>The bytes of arguments a raw tracepoint has at most.</summary>
    internal const int Size = MaxArguments * sizeof(ulong);

    public static ContextSession Session(RunOptions options, int maxContextOffset)
    {
        if (options.Data is not null)
            throw new InvalidRunException("raw tracepoint test runs take no data_in: the arguments go in ctx_in", -Errno.EINVAL);
        if (options.Repeat != 1)
            throw new InvalidRunException($"raw tracepoint test runs run once (repeat {options.Repeat})", -Errno.EINVAL);
        var length = options.Context?.Length ?? 0;
        if (length > Size)
            throw new InvalidRunException($"ctx_in is {length} bytes, more than a raw tracepoint's {MaxArguments} arguments ({Size} bytes)", -Errno.EINVAL);
        if (length < maxContextOffset)
            throw new InvalidRunException($"ctx_in is {length} bytes, but the program reads its arguments up to byte {maxContextOffset}", -Errno.EINVAL);
        return new RawSession(options, "raw tracepoint args", Size);
    }
}
