namespace BpfSharp.Execution.Tracing;

/// <summary>How a frame of a traced run ended.</summary>
internal enum FrameEnd
{
    /// <summary>Not yet, or never: the run stopped with an error while it ran.</summary>
    Running,
    /// <summary>It exited and handed r0 back (to its caller, the helper, or the host).</summary>
    Returned,
    /// <summary>A tail call replaced it.</summary>
    Replaced,
}
