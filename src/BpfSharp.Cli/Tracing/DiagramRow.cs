using BpfSharp.Execution.Tracing;

namespace BpfSharp.Cli.Tracing;

/// <summary>What a row of the trace diagram shows.</summary>
internal enum DiagramRowKind
{
    /// <summary>A frame begins: its name and details.</summary>
    Header,
    /// <summary>An instruction: slot, disassembly, registers changed.</summary>
    Instruction,
    /// <summary>The source line the next instructions come from.</summary>
    Source,
    /// <summary>Instructions left out.</summary>
    Omitted,
    /// <summary>A helper call and its result.</summary>
    Helper,
    /// <summary>A tail call that fell through.</summary>
    Miss,
    /// <summary>A tail call: the frame above ends and the one below takes its place.</summary>
    TailCall,
    /// <summary>A frame exits and r0 goes back to its caller.</summary>
    Return,
}

/// <summary>One row of the diagram, on the lane of <see cref="Frame"/>'s depth, at <see cref="Y"/> (top) with its
/// height; <see cref="Step"/> is the instruction's step for instruction rows, -1 otherwise.</summary>
internal sealed record DiagramRow(DiagramRowKind Kind, TraceFrame Frame, double Y, double Height, string Text, string Detail = "", int Step = -1)
{
    public double Bottom => Y + Height;

    public double Middle => Y + Height / 2;
}
