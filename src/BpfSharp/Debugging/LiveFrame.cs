using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Debugging;

/// <summary>A frame of the run as the debugger follows it on the engine's thread: where it is and its registers as its
/// last instruction found them.</summary>
internal sealed class LiveFrame(int id, int depth, ExecutableProgram program, int entryPc, FrameStart start, LiveFrame? caller,
    string? replaced, int tailCall)
{
    public int Id { get; } = id;
    public int Depth { get; } = depth;
    public ExecutableProgram Program { get; } = program;
    public int EntryPc { get; } = entryPc;
    public FrameStart Start { get; } = start;
    public LiveFrame? Caller { get; } = caller;
    public string? Replaced { get; } = replaced;
    public int TailCall { get; } = tailCall;

    /// <summary>The instruction that runs next (or ran last: a caller's call).</summary>
    public int Pc { get; set; } = entryPc;

    public ulong[] Registers { get; } = new ulong[11];

    /// <summary>The registers as its first instruction found them (null until it ran one).</summary>
    public ulong[]? EntryRegisters { get; set; }
}
