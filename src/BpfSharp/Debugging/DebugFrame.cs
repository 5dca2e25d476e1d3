using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Debugging;

/// <summary>One frame of a stopped run, as it stood when the session stopped: the function, where it is, how it
/// began (a call, a tail call that replaced another frame, a helper's callback) and its registers.</summary>
public sealed class DebugFrame
{
    internal DebugFrame(int id, int depth, string function, ExecutableProgram program, int pc, LineInfo? line, string instruction,
        FrameStart start, string? caller, string? replaced, int tailCall, ulong[] registers, ulong[] entryRegisters, bool isLive)
    {
        (Id, Depth, Function, Executable, Pc, Line, Instruction) = (id, depth, function, program, pc, line, instruction);
        (Start, Caller, Replaced, TailCall, Registers, EntryRegisters, IsLive) = (start, caller, replaced, tailCall, registers, entryRegisters, isLive);
    }

    /// <summary>The frame's number in order of creation (the run's entry is 0): the same frame keeps it from stop to stop.</summary>
    public int Id { get; }

    /// <summary>Frames below the run's entry (a tail call's target takes the depth of the frame it replaced).</summary>
    public int Depth { get; }

    /// <summary>The function the frame runs (<c>serve_drink</c>, <c>fib3</c>).</summary>
    public string Function { get; }

    /// <summary>The program whose code holds the function.</summary>
    public string Program => Executable.Name;

    internal ExecutableProgram Executable { get; }

    /// <summary>The innermost frame: the next instruction; a caller: its call instruction (or the helper call that runs
    /// a callback).</summary>
    public int Pc { get; }

    /// <summary>The source line of <see cref="Pc"/>, from BTF line info; null without it.</summary>
    public LineInfo? Line { get; }

    /// <summary>The instruction at <see cref="Pc"/>, as llvm-objdump prints it.</summary>
    public string Instruction { get; }

    /// <summary>How the frame began.</summary>
    internal FrameStart Start { get; }

    /// <summary>The function its r0 returns to (for a tail call's target, the replaced frame's caller; for a callback,
    /// the function whose helper runs it); null when it returns to the host.</summary>
    public string? Caller { get; }

    /// <summary>For a tail call's target: the function whose frame it replaced.</summary>
    public string? Replaced { get; }

    /// <summary>For a tail call's target: which tail call of the run made it (1 to 33); 0 otherwise.</summary>
    public int TailCall { get; }

    /// <summary>r0-r10: the innermost frame's before <see cref="Pc"/> runs; a caller's as they were at its call (r6-r9
    /// and r10 are still its own: a callee saves and restores them).</summary>
    public IReadOnlyList<ulong> Registers { get; }

    /// <summary>r0-r10 as the frame's first instruction found them: its arguments in r1-r5.</summary>
    internal ulong[] EntryRegisters { get; }

    /// <summary>Whether the run is paused in this frame (its memory can be read, its registers changed); false once
    /// the run ended with an error.</summary>
    public bool IsLive { get; }

    /// <summary>r10: the top of the frame's 512 bytes of stack.</summary>
    public ulong FramePointer => Registers[10];

    /// <summary><c>serve_drink, tail call 1 in place of bring_order, at drinks.c:18</c>.</summary>
    public override string ToString()
    {
        var how = Start switch
        {
            FrameStart.TailCall => $", tail call {TailCall} in place of {Replaced}",
            FrameStart.Callback => $", callback for {Caller}",
            _ => "",
        };
        var where = Line is { } l ? $"{Path.GetFileName(l.File)}:{l.Line}" : $"insn {Pc}";
        return $"{Function}{how}, at {where}";
    }
}
