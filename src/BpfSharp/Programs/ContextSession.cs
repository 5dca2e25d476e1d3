using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>The memory of one test run: the context the program gets in r1 and the packet behind it, built from
/// <c>data_in</c>/<c>ctx_in</c> as the kernel's test-run code builds them, and read back afterwards.</summary>
internal abstract class ContextSession : IDisposable
{
    /// <summary>The address passed in r1.</summary>
    public abstract ulong Context { get; }

    /// <summary>Lets the program touch this memory in bounds-checked mode, and gives LD_ABS/LD_IND their packet.</summary>
    public abstract void Attach(Invocation invocation);


    /// <summary><c>data_out</c> after the run.</summary>
    public abstract byte[] DataOut();

    /// <summary><c>ctx_out</c> after the run, in the uapi layout.</summary>
    public abstract byte[] ContextOut();

    public abstract void Dispose();

    /// <summary>The kernel's check on <c>ctx_in</c> (<c>bpf_ctx_init</c>): bytes past the struct must be zero.</summary>
    protected static byte[] ContextInput(RunOptions options, int size)
    {
        var input = options.Context ?? Array.Empty<byte>();
        if (input.Length > size && input.AsSpan(size).ContainsAnyExcept((byte)0))
            throw new InvalidRunException($"ctx_in is {input.Length} bytes and non-zero past the {size}-byte context", -Errno.E2BIG);
        var ctx = new byte[size];
        input.AsSpan(0, Math.Min(input.Length, size)).CopyTo(ctx);
        return ctx;
    }

    /// <summary>Fails unless the given ranges of <c>ctx_in</c> are all zero (fields the kernel does not accept).</summary>
    protected static void RequireZero(byte[] ctx, string structName, params (int Start, int End, string After)[] ranges)
    {
        foreach (var (start, end, after) in ranges)
            if (ctx.AsSpan(start, end - start).ContainsAnyExcept((byte)0))
                throw new InvalidRunException($"ctx_in: {structName} bytes {start}-{end - 1} (after {after}) must be zero: the kernel does not accept them", -Errno.EINVAL);
    }
}
