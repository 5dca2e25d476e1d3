namespace BpfSharp.Tests.Kernel;

/// <summary>What to hand BPF_PROG_TEST_RUN (<c>bpftool prog run</c>).</summary>
public sealed record KernelRunOptions
{
    /// <summary>64 zero bytes: a deterministic packet longer than ETH_HLEN (14), which skb test runs require.</summary>
    public static byte[] ZeroPacket => new byte[64];

    /// <summary><c>data_in</c>: the packet (skb/xdp programs) or input data.</summary>
    public byte[] Data { get; init; } = ZeroPacket;

    /// <summary><c>ctx_in</c>: the context (e.g. <c>struct __sk_buff</c>, 192 bytes); null sends none.</summary>
    public byte[]? CtxIn { get; init; }

    /// <summary>Ask for <c>data_out</c>.</summary>
    public bool DataOut { get; init; }

    /// <summary>Ask for <c>ctx_out</c> (bpftool writes it only when <see cref="CtxIn"/> is given).</summary>
    public bool CtxOut { get; init; }

    /// <summary><c>repeat N</c>: runs back to back on one context; the result is the last run's.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>The CPU the run's thread is pinned to, so per-CPU map values land in that CPU's slot; null leaves it
    /// to the scheduler.</summary>
    public int? Cpu { get; init; } = 0;
}

/// <summary>One test run's outcome.</summary>
/// <param name="ReturnValue">r0 as BPF_PROG_TEST_RUN reports it (a u32: <c>attr.test.retval</c>).</param>
/// <param name="DurationNs">The kernel's time per run (average when repeated).</param>
/// <param name="DataOut">The packet after the run, when asked for.</param>
/// <param name="CtxOut">The context after the run, when asked for and bpftool wrote it.</param>
public sealed record KernelRunResult(uint ReturnValue, long DurationNs, byte[]? DataOut, byte[]? CtxOut);
