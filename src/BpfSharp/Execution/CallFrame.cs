namespace BpfSharp.Execution;

/// <summary>What a BPF-to-BPF call saves of its caller: where to return to (program and slot, since a tail call may
/// have replaced the callee's program), the registers the callee must not change (r6-r9, r10), and the depth at
/// which the caller's program was entered (its own 8-frame budget counts from there), and what is left of the caller's
/// may_goto budget (each frame has its own, as the kernel keeps it in each frame's stack).</summary>
internal struct CallFrame
{
    public ExecutableProgram Program;
    public int ReturnPc;
    public int BaseDepth;
    public long MayGoto;
    public ulong R6, R7, R8, R9, R10;
}
