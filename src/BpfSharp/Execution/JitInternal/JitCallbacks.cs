using System.Runtime.CompilerServices;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Runs a program function as a callback of the helper now running (<c>bpf_loop</c>,
/// <c>bpf_for_each_map_elem</c>) with the interpreter's rules: a new frame below the helper's caller, inside the
/// caller's 8-frame budget, r0 and r6-r9 starting at 0.</summary>
internal static unsafe class JitCallbacks
{
    public static readonly CallbackRunner Checked = (inv, program, pc, r1, r2, r3, r4, r5) => Run(inv, program, pc, r1, r2, r3, r4, r5, true);

    public static readonly CallbackRunner Unchecked = (inv, program, pc, r1, r2, r3, r4, r5) => Run(inv, program, pc, r1, r2, r3, r4, r5, false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ulong Run(Invocation inv, ExecutableProgram program, int pc, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, bool isChecked)
    {
        var (depth, baseDepth, framePointer) = (inv.HelperDepth + 1, inv.HelperBaseDepth, inv.HelperFramePointer);
        if (depth - baseDepth >= Invocation.MaxFrames)
            throw ExecutionErrors.CallbackTooDeep(inv, depth - baseDepth + 1);
        if ((uint)pc >= (uint)program.Length)
            throw ExecutionErrors.CallbackOutside(inv, program, pc);
        var function = program.JitCache.Get(inv.Helpers, isChecked).FunctionAt(pc);
        // Only a computed value can name a slot no lddw named: the interpreter runs it, with the same state.
        if (function == 0) return Interpreter.RunCallback(inv, program, pc, r1, r2, r3, r4, r5, isChecked);
        ClearExtras(inv);
        var r10 = framePointer - Invocation.FrameSize;
        var floor = inv.StackTop - (ulong)(baseDepth + Invocation.MaxFrames - 1) * Invocation.FrameSize;
        return ((delegate*<Invocation, ulong, ulong, ulong, ulong, ulong, ulong, ulong, ulong>)function)(inv, r1, r2, r3, r4, r5, r10, floor);
    }

    /// <summary>r0 and r6-r9 start at 0 in a new run or callback, as in the interpreter's fresh register file.</summary>
    public static void ClearExtras(Invocation inv)
    {
        var registers = inv.Registers;
        registers[0] = 0;
        registers[6] = 0;
        registers[7] = 0;
        registers[8] = 0;
        registers[9] = 0;
    }
}
