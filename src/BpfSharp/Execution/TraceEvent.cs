namespace BpfSharp.Execution;

/// <summary>One line a program wrote with <c>bpf_trace_printk</c>, with what the kernel's trace_pipe shows beside it.</summary>
public sealed record TraceEvent(string Comm, int Pid, int Cpu, ulong TimestampNs, string Message)
{
    /// <summary>The line as /sys/kernel/tracing/trace_pipe prints it:
    /// <c>"            bash-1234    [001] d..31  1234.567890: bpf_trace_printk: hello"</c>.</summary>
    public override string ToString() =>
        $"{Comm,16}-{Pid,-7} [{Cpu:D3}] d..31 {TimestampNs / 1_000_000_000,5}.{TimestampNs / 1000 % 1_000_000:D6}: bpf_trace_printk: {Message}";
}
