using BpfSharp.Btf;

namespace BpfSharp.Debugging;

/// <summary>What the run should do until it stops again: go on to a breakpoint, or finish a step begun in frame
/// <see cref="FrameId"/> at <see cref="Depth"/> on <see cref="Line"/>.</summary>
internal readonly record struct StepPlan(StepKind Kind, int FrameId = -1, int Depth = 0, LineInfo? Line = null)
{
    /// <summary>Whether the step is over before the instruction at <paramref name="line"/> runs in
    /// <paramref name="frame"/>. A line step ends on another line, or in another frame (a call, a tail call that
    /// replaced the frame, a return); stepping over ignores frames deeper than the one it began in.</summary>
    public bool EndsAt(LiveFrame frame, LineInfo? line) => Kind switch
    {
        StepKind.Instruction => true,
        StepKind.NextInstruction => frame.Depth <= Depth,
        StepKind.Into => frame.Id != FrameId || OtherLine(line),
        StepKind.Over => frame.Depth < Depth || frame.Depth == Depth && (frame.Id != FrameId || OtherLine(line)),
        StepKind.Out => frame.Depth < Depth,
        _ => false,
    };

    // Without line info every instruction is a line of its own.
    bool OtherLine(LineInfo? line) => line is null || Line is null || line.Line != Line.Line || line.File != Line.File;
}

/// <summary>How a run goes on after a stop.</summary>
internal enum StepKind
{
    /// <summary>To the next breakpoint or stop condition.</summary>
    Continue,
    /// <summary>To the next source line, into calls.</summary>
    Into,
    /// <summary>To the next source line of this frame (or its caller), over calls.</summary>
    Over,
    /// <summary>Until the caller runs again.</summary>
    Out,
    /// <summary>One instruction, into calls.</summary>
    Instruction,
    /// <summary>One instruction of this frame (or its caller), over calls.</summary>
    NextInstruction,
}
