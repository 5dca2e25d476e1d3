namespace BpfSharp.Execution.Tracing;

/// <summary>Why a <c>bpf_tail_call</c> fell through (the kernel gives the program no reason: execution simply goes
/// on after the call).</summary>
internal enum TailCallFailure
{
    /// <summary>The resolver did not say which of the reasons below it was.</summary>
    NoTarget,
    /// <summary>The map argument is not a live program array.</summary>
    NotAProgramArray,
    /// <summary>The index is at or past the array's <c>max_entries</c>.</summary>
    IndexOutOfRange,
    /// <summary>The slot holds no program.</summary>
    EmptySlot,
    /// <summary>33 tail calls already succeeded in this run (the kernel's MAX_TAIL_CALL_CNT).</summary>
    LimitReached,
}
