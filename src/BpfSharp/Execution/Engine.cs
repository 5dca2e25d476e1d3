using System.Runtime.CompilerServices;

namespace BpfSharp.Execution;

/// <summary>Runs a program on the engine asked for; the engines give the same results by contract.</summary>
internal static class Engine
{
    /// <summary>Runs <paramref name="program"/> on <paramref name="engine"/> with r1 and r2 as given and returns r0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Run(ExecutableProgram program, Invocation invocation, ulong r1, ulong r2, ExecutionEngine engine) => engine switch
    {
        ExecutionEngine.Jit => Jit.Run(program, invocation, r1, r2),
        ExecutionEngine.Interpreter => Interpreter.Run(program, invocation, r1, r2),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "not an execution engine"),
    };

    /// <summary>Runs the function of <paramref name="program"/> at <paramref name="pc"/> on <paramref name="engine"/> as
    /// a run of its own, with r1-r3 as given, and returns r0.</summary>
    public static ulong RunFunction(ExecutableProgram program, Invocation invocation, int pc, ulong r1, ulong r2, ulong r3,
        ExecutionEngine engine) => engine switch
    {
        ExecutionEngine.Jit => Jit.RunFunction(program, invocation, pc, r1, r2, r3),
        ExecutionEngine.Interpreter => Interpreter.RunFunction(program, invocation, pc, r1, r2, r3),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "not an execution engine"),
    };

    /// <summary>Runs <paramref name="program"/> <paramref name="repeat"/> times on <paramref name="engine"/>, each run a
    /// run of its own, and returns the last r0 (the loop of the kernel's test-run).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Run(ExecutableProgram program, Invocation invocation, ulong r1, ulong r2, ExecutionEngine engine, int repeat)
    {
        if (engine == ExecutionEngine.Jit) return Jit.Run(program, invocation, r1, r2, repeat);
        ulong r0 = 0;
        for (var i = 0; i < repeat; i++) r0 = Run(program, invocation, r1, r2, engine);
        return r0;
    }

    /// <summary>Parses an engine's name as the command line spells it ("interpreter", "jit").</summary>
    public static bool TryParse(string name, out ExecutionEngine engine) =>
        Enum.TryParse(name, ignoreCase: true, out engine) && Enum.IsDefined(engine);
}
