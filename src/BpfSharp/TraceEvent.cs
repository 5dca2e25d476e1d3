namespace BpfSharp;

/// <summary>One line a program wrote with <c>bpf_trace_printk</c>, with what the kernel's trace_pipe shows beside it.</summary>
public sealed record TraceEvent(string Comm, int Pid, int Cpu, string Flags, ulong TimestampNs, string Message)
{
    /// <summary>The line as /sys/kernel/tracing/trace_pipe prints it on Linux 6.x (comm right-aligned in 16, the
    /// pid left-aligned in 7, the CPU in 3 digits, the context flags, seconds in 5 and microseconds):
    /// <c>"         bpftool-24387   [001] b..11  3825.226263: bpf_trace_printk: hello"</c>.</summary>
    public override string ToString() =>
        $"{Comm,16}-{Pid,-7} [{Cpu:D3}] {Flags} {TimestampNs / 1_000_000_000,5}.{TimestampNs / 1000 % 1_000_000:D6}: bpf_trace_printk: {Message}";
}
