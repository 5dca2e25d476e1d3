namespace BpfSharp.Debugging;

/// <summary>Where a <see cref="DebugSession"/> stops: a C source line (BTF line info), a function's first instruction,
/// or one instruction of a program; with a condition, only when it holds there.</summary>
public sealed class Breakpoint
{
    Breakpoint(BreakpointKind kind, string target, int number, string? condition) =>
        (Kind, Target, Number, Condition) = (kind, target, number, condition);

    /// <summary>The first instruction of each function that line info puts on <paramref name="line"/> of
    /// <paramref name="file"/> (compared by file name, so <c>drinks.c</c> finds <c>./drinks.c</c>).</summary>
    public static Breakpoint AtLine(string file, int line, string? condition = null) =>
        new(BreakpointKind.Line, file ?? throw new ArgumentNullException(nameof(file)), line, condition);

    /// <summary>The first instruction of <paramref name="function"/> wherever it is linked (a subprogram is copied
    /// into every program that calls it).</summary>
    public static Breakpoint AtFunction(string function, string? condition = null) =>
        new(BreakpointKind.Function, function ?? throw new ArgumentNullException(nameof(function)), 0, condition);

    /// <summary>Instruction <paramref name="pc"/> (a slot of the linked code, as <c>bpfsharp disasm</c> numbers it) of
    /// <paramref name="program"/>.</summary>
    public static Breakpoint AtInstruction(string program, int pc, string? condition = null) =>
        new(BreakpointKind.Instruction, program ?? throw new ArgumentNullException(nameof(program)), pc, condition);

    internal BreakpointKind Kind { get; }

    /// <summary>The file, the function or the program.</summary>
    internal string Target { get; }

    /// <summary>The line, or the instruction.</summary>
    internal int Number { get; }

    /// <summary>An expression (<c>r1 == 3</c>, <c>*(u32 *)(r10 - 4) &gt; 7 &amp;&amp; r0 != 0</c>): the session stops only
    /// where it is not zero.</summary>
    public string? Condition { get; }

    /// <summary>How often the session stopped here.</summary>
    public int Hits { get; internal set; }

    /// <summary>The session's number for it, from 1 in the order added.</summary>
    public int Id { get; internal set; }

    /// <summary>The instructions it resolved to: (program, pc).</summary>
    public IReadOnlyList<(string Program, int Pc)> Locations { get; internal set; } = [];

    /// <summary><c>drinks.c:18</c>, <c>serve_drink</c>, <c>server2+5</c>, with the condition.</summary>
    public override string ToString()
    {
        var where = Kind switch
        {
            BreakpointKind.Line => $"{Path.GetFileName(Target)}:{Number}",
            BreakpointKind.Function => Target,
            _ => $"{Target}+{Number}",
        };
        return Condition is null ? where : $"{where} if {Condition}";
    }
}
