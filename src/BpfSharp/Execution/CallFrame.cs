namespace BpfSharp.Execution;

/// <summary>What a BPF-to-BPF call saves of its caller: where to return to (program and slot, since a tail call may
/// have replaced the callee's program) and the registers the callee must not change (r6-r9, r10).</summary>
internal struct CallFrame
{
    public ExecutableProgram Program;
    public int ReturnPc;
    public ulong R6, R7, R8, R9, R10;
}
