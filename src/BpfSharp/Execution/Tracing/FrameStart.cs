namespace BpfSharp.Execution.Tracing;

/// <summary>How a frame of a traced run began.</summary>
internal enum FrameStart
{
    /// <summary>The run's entry: the program the host ran.</summary>
    Run,
    /// <summary>A BPF-to-BPF call opened it below its caller.</summary>
    Call,
    /// <summary>A tail call replaced the frame that ran at its depth; it returns to that frame's caller.</summary>
    TailCall,
    /// <summary>A helper (<c>bpf_loop</c>, <c>bpf_for_each_map_elem</c>) ran it as a callback, below the helper's
    /// caller.</summary>
    Callback,
}
