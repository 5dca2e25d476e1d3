namespace BpfSharp.Debugging;

/// <summary>What a breakpoint names.</summary>
internal enum BreakpointKind
{
    /// <summary>A source line (BTF line info).</summary>
    Line,
    /// <summary>A function's first instruction.</summary>
    Function,
    /// <summary>One instruction of a program.</summary>
    Instruction,
}
