using System.Runtime.CompilerServices;
using BpfSharp.Execution.JitInternal;

namespace BpfSharp.Execution;

/// <summary>The compiling engine: each program becomes IL in a collectible assembly, one static method per BPF function,
/// which RyuJIT turns into machine code; results are the <see cref="Interpreter"/>'s by contract. A program is
/// compiled on its first run (per mode, and per helper table, whose delegates the code calls directly) and the code is
/// collected with the program.</summary>
internal static unsafe class Jit
{
    /// <summary>Runs <paramref name="program"/> with r1 and r2 as given and returns r0. In bounds-checked mode
    /// (<see cref="Invocation.BoundsChecked"/>) a bad access or a runaway loop throws
    /// <see cref="BpfRuntimeException"/> with the interpreter's message.</summary>
    public static ulong Run(ExecutableProgram program, Invocation invocation, ulong r1 = 0, ulong r2 = 0) =>
        Run(program, invocation, r1, r2, repeat: 1);

    /// <summary>Runs <paramref name="program"/> <paramref name="repeat"/> times with the same r1 and r2, each run a run
    /// of its own (its counters and redirect start afresh), and returns the last r0: the loop of the kernel's test-run,
    /// which finds the code once and then only calls it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Run(ExecutableProgram program, Invocation invocation, ulong r1, ulong r2, int repeat)
    {
        var isChecked = invocation.BoundsChecked;
        // Stored only when it changes: a reference store costs a write barrier.
        var runner = isChecked ? JitCallbacks.Checked : JitCallbacks.Unchecked;
        if (!ReferenceEquals(invocation.CallbackRunner, runner)) invocation.CallbackRunner = runner;
        var code = program.JitLast is { } last && last.Matches(invocation.Helpers, isChecked, handBack: false)
            ? last
            : program.JitCache.Get(invocation.Helpers, isChecked);
        var entry = code.Entry;
        var top = invocation.StackTop;
        var floor = JitRuntime.FloorFor(top);
        ulong r0 = 0;
        for (var i = 0; i < repeat; i++)
        {
            invocation.BeginRun(repeat: i != 0);
            // r0 and r6-r9 start at 0, as in the interpreter's fresh register file; only an entry that reads them looks.
            if (code.EntryIn != 0) JitCallbacks.ClearExtras(invocation);
            r0 = entry(invocation, r1, r2, 0, 0, 0, top, floor);
            if (isChecked && invocation.HeldSpinLock != 0) invocation.EndWithLockHeld();
        }
        return r0;
    }

    /// <summary>Runs the compiled function of <paramref name="program"/> at <paramref name="pc"/> as a run of its own,
    /// with r1-r3 as given, and returns r0 (a timer callback; see <see cref="Interpreter.RunFunction"/>).</summary>
    public static ulong RunFunction(ExecutableProgram program, Invocation invocation, int pc, ulong r1, ulong r2, ulong r3)
    {
        var isChecked = invocation.BoundsChecked;
        var function = program.JitCache.Get(invocation.Helpers, isChecked).FunctionAt(pc);
        // Only a computed value can name a function no lddw named: the interpreter runs it, with the same state.
        if (function == 0) return Interpreter.RunFunction(program, invocation, pc, r1, r2, r3);
        invocation.CallbackRunner = isChecked ? JitCallbacks.Checked : JitCallbacks.Unchecked;
        invocation.BeginRun();
        JitCallbacks.ClearExtras(invocation);
        var top = invocation.StackTop;
        var r0 = ((delegate*<Invocation, ulong, ulong, ulong, ulong, ulong, ulong, ulong, ulong>)function)(invocation, r1, r2, r3, 0, 0, top,
            JitRuntime.FloorFor(top));
        if (isChecked && invocation.HeldSpinLock != 0) invocation.EndWithLockHeld();
        return r0;
    }

    static int prepared;

    /// <summary>Compiles the run path (the run loop, the callback runners, the tail call's slow path)
    /// now, once per process, so that a timed first run does not include .NET compiling them (about 2 ms here).</summary>
    internal static void Prepare()
    {
        if (Interlocked.Exchange(ref prepared, 1) != 0) return;
        RuntimeHelpers.PrepareMethod(typeof(Jit).GetMethod(nameof(Run),
            [typeof(ExecutableProgram), typeof(Invocation), typeof(ulong), typeof(ulong), typeof(int)])!.MethodHandle);
        RuntimeHelpers.RunClassConstructor(typeof(JitCallbacks).TypeHandle);
        JitRuntime.PrepareTailCalls();
    }

    /// <summary>Compiles <paramref name="program"/> now for runs with <paramref name="helpers"/> (otherwise its first run
    /// does), so that the first run's time is the program's own.</summary>
    public static void Compile(ExecutableProgram program, HelperTable helpers, bool boundsChecked = true) =>
        program.JitCache.Get(helpers, boundsChecked);
}
