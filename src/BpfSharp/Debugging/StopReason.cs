namespace BpfSharp.Debugging;

/// <summary>Why a <see cref="DebugSession"/> handed control back.</summary>
public enum StopReason
{
    /// <summary>Before the first instruction (<see cref="DebugSession.StopOnEntry"/>).</summary>
    Entry,
    /// <summary>A breakpoint's instruction is next (and its condition held).</summary>
    Breakpoint,
    /// <summary>A step finished.</summary>
    Step,
    /// <summary>A tail call replaced the running frame; the target's first instruction is next
    /// (<see cref="DebugSession.StopOnTailCall"/>).</summary>
    TailCall,
    /// <summary>A helper call is next (<see cref="DebugSession.StopOnHelperCall"/>).</summary>
    HelperCall,
    /// <summary>The next instruction would stop the run with an error (a bounds-checked access outside every region),
    /// or a helper did: the run is then over, its last state kept.</summary>
    Error,
    /// <summary>The program exited; <see cref="DebugStop.ReturnValue"/> holds r0.</summary>
    Exited,
}
