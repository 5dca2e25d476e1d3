using BpfSharp.Execution;
using System.Collections.Concurrent;

namespace BpfSharp;

/// <summary>Where <c>bpf_trace_printk</c> output goes, like the kernel's trace_pipe: programs append, the host reads
/// (and so consumes) lines or subscribes to them as they come.</summary>
public sealed class TracePipe
{
    readonly ConcurrentQueue<TraceEvent> events = new();

    /// <summary>Raised for every line, on the thread of the program that wrote it.</summary>
    public event Action<TraceEvent>? Written;

    /// <summary>Appends a line.</summary>
    public void Write(TraceEvent e)
    {
        events.Enqueue(e);
        Written?.Invoke(e);
    }

    /// <summary>Takes every line written so far, oldest first.</summary>
    public IReadOnlyList<TraceEvent> Drain()
    {
        var lines = new List<TraceEvent>();
        while (events.TryDequeue(out var e)) lines.Add(e);
        return lines;
    }
}
