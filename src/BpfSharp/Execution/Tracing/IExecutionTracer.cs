namespace BpfSharp.Execution.Tracing;

/// <summary>What the interpreter reports while it runs a program traced (<see cref="Interpreter.Trace"/>): each
/// instruction before it executes, and each change of frame as it happens. Depths count frames from the run's entry
/// (0) and go on counting through tail calls, so a depth is a lane of the picture of the run. Calls arrive on the
/// running thread, in order.</summary>
internal interface IExecutionTracer
{
    /// <summary>A run of <paramref name="program"/> begins (r1 and r2 as the host passed them).</summary>
    void Started(ExecutableProgram program, ulong r1, ulong r2);

    /// <summary>The instruction at <paramref name="pc"/> is about to execute in the frame at
    /// <paramref name="depth"/>; <paramref name="registers"/> holds r0-r10 as they are before it, the running frame's
    /// own: what a tracer writes to r0-r9 the instruction sees (a debugger changes a register this way).</summary>
    void Instruction(ExecutableProgram program, int pc, int depth, Span<ulong> registers);

    /// <summary>A BPF-to-BPF call at <paramref name="callSite"/> opened a frame at <paramref name="depth"/> that starts
    /// at <paramref name="target"/>.</summary>
    void Called(ExecutableProgram program, int callSite, int target, int depth);

    /// <summary>The helper now running (<c>bpf_loop</c>, <c>bpf_for_each_map_elem</c>) opened a frame at
    /// <paramref name="depth"/> for the callback at <paramref name="target"/>.</summary>
    void CallbackEntered(ExecutableProgram program, int target, int depth);

    /// <summary>The frame at <paramref name="depth"/> exited with <paramref name="r0"/>: to its caller, to the helper
    /// that ran it as a callback, or, at depth 0, out of the run.</summary>
    void Returned(int depth, ulong r0);

    /// <summary>A tail call through program array <paramref name="map"/> (the value the program passed in r2) replaced
    /// the frame at <paramref name="depth"/> with <paramref name="target"/>; <paramref name="count"/> tail calls have
    /// now succeeded in this run.</summary>
    void TailCalled(ExecutableProgram target, ulong map, uint index, int depth, int count);

    /// <summary>A tail call fell through for <paramref name="reason"/>; <paramref name="count"/> is the unchanged
    /// number of tail calls that succeeded.</summary>
    void TailCallFailed(ulong map, uint index, TailCallFailure reason, int count);

    /// <summary>Helper <paramref name="id"/> is called with r1-r5.</summary>
    void HelperCalled(long id, ReadOnlySpan<ulong> arguments);

    /// <summary>Helper <paramref name="id"/> returned <paramref name="r0"/>.</summary>
    void HelperReturned(long id, ulong r0);
}
