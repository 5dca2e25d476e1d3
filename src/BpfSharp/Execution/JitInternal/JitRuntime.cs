using System.Reflection;
using System.Runtime.CompilerServices;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>What generated code calls besides the helpers: the slow path of a bounds check, the exceptions (built here
/// and thrown by the caller, so hot methods stay small and every message is the interpreter's), helper call-site
/// bookkeeping, and the tail-call lookup. Frames are described as the generated code holds them: the frame pointer
/// r10 and the floor, the lowest r10 the running program's 8-frame budget allows.</summary>
internal static unsafe class JitRuntime
{
    /// <summary>The floor for a program entered in the frame whose r10 is <paramref name="r10"/>: 7 more frames.</summary>
    public static ulong FloorFor(ulong r10) => r10 - (Invocation.MaxFrames - 1) * (ulong)Invocation.FrameSize;


    static int Depth(Invocation inv, ulong r10) => (int)((inv.StackTop - r10) / Invocation.FrameSize);

    static int BaseDepth(Invocation inv, ulong floor) => Depth(inv, floor) - (Invocation.MaxFrames - 1);

    /// <summary>A load or store the inline stack check did not accept: fine if a region allows it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CheckAccess(Invocation inv, ExecutableProgram program, int pc, ulong address, int size, MemoryAccess access)
    {
        if (!inv.IsAccessible(address, (ulong)size, access))
            throw ExecutionErrors.MemoryFault(inv, program, pc, address, size, access);
    }

    /// <summary>Atomics must be naturally aligned (as in <see cref="Interpreter"/>), then allowed for read and write.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CheckAtomic(Invocation inv, ExecutableProgram program, int pc, ulong address, int size, MemoryAccess access)
    {
        if (address % (ulong)size != 0)
            throw ExecutionErrors.MisalignedAtomic(program, pc, size, address);
        CheckAccess(inv, program, pc, address, size, access);
    }

    /// <summary>The budget ran out inside the block of <paramref name="blockLength"/> instructions starting at
    /// <paramref name="blockStart"/>, which was counted as a whole: name the instruction the interpreter, counting
    /// one by one, stops at. Nothing before it in the block can be observed (blocks end at anything that can fault,
    /// call or store).</summary>
    public static BpfRuntimeException BudgetExhausted(Invocation inv, ExecutableProgram program, int blockStart, long executedAfterBlock,
        int blockLength, long budget)
    {
        var before = executedAfterBlock - blockLength;
        var pc = blockStart;
        for (var n = budget - before; n > 0; n--)
            pc += program.Code[pc].Opcode == Opcode.Lddw ? 2 : 1;
        inv.InstructionsExecuted = budget;
        return ExecutionErrors.BudgetExhausted(program, pc, budget);
    }

    public static BpfRuntimeException LeftProgram(ExecutableProgram program, int pc) => ExecutionErrors.LeftProgram(program, pc);

    public static BpfRuntimeException NotAnInstruction(ExecutableProgram program, int pc) => ExecutionErrors.NotAnInstruction(program, pc);

    public static BpfRuntimeException CallOutside(ExecutableProgram program, int pc, int target) => ExecutionErrors.CallOutside(program, pc, target);

    public static BpfRuntimeException TooDeep(Invocation inv, ExecutableProgram program, int pc, ulong r10, ulong floor) =>
        ExecutionErrors.TooDeep(program, pc, Depth(inv, r10) - BaseDepth(inv, floor) + 2);

    public static BpfRuntimeException UnknownHelper(ExecutableProgram program, int pc, long id) => ExecutionErrors.UnknownHelper(program, pc, id);

    public static BpfRuntimeException Kfunc(ExecutableProgram program, int pc, int id) => ExecutionErrors.Kfunc(program, pc, id);

    /// <summary>Records the call site, as the interpreter's CallHelper does: helper errors name it, and callbacks get
    /// the frame below it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EnterHelper(Invocation inv, ExecutableProgram program, int pc, long id, ulong r10, ulong floor) =>
        inv.EnterHelper(program, pc, id, Depth(inv, r10), BaseDepth(inv, floor), r10);

    /// <summary><c>callx</c>: the helper whose id is in a register, looked up at run time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong CallHelperById(Invocation inv, ExecutableProgram program, int pc, long id,
        ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r10, ulong floor)
    {
        var helper = inv.Helpers.Find(id) ?? throw ExecutionErrors.UnknownHelper(program, pc, id);
        EnterHelper(inv, program, pc, id, r10, floor);
        return helper(inv, r1, r2, r3, r4, r5);
    }

    /// <summary><c>bpf_tail_call</c>: the compiled entry of the target, counted, or 0 when the call falls through
    /// (budget of 33 spent, no program array, index past the end, empty slot). The index is a u32. With
    /// <paramref name="handBack"/>, the target compiled to hand back its last r1-r5. The usual case (the same array as
    /// the run's last tail call, a target already compiled, its code's group already held) is four dependent loads:
    /// slots, slot, compiled form, entry; a call that falls through on that array costs no more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint TailCall(Invocation inv, ulong map, ulong index, bool isChecked, bool handBack)
    {
        if (map == inv.TailCallSlotsHandle && map != 0)
        {
            var slots = inv.TailCallSlots;
            if ((uint)index >= (uint)slots.Length || inv.TailCallCount >= Invocation.MaxTailCalls) return 0;
            var target = Volatile.Read(ref slots[(uint)index]);
            if (target is null) return 0;
            if (target.JitLast is { } code && code.Matches(inv.Helpers, isChecked, handBack) && inv.TailCallTargetGroup == code.Group)
            {
                inv.TailCallCount++;
                return (nint)code.Entry;
            }
        }
        return TailCallSlow(inv, map, index, isChecked, handBack);
    }

    /// <summary>Compiles the tail call's slow path now, so that a timed first run does not include .NET compiling it.</summary>
    public static void PrepareTailCalls() =>
        RuntimeHelpers.PrepareMethod(typeof(JitRuntime).GetMethod(nameof(TailCallSlow), BindingFlags.NonPublic | BindingFlags.Static)!.MethodHandle);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static nint TailCallSlow(Invocation inv, ulong map, ulong index, bool isChecked, bool handBack)
    {
        if (inv.TailCallCount >= Invocation.MaxTailCalls) return 0;
        ExecutableProgram? target;
        if (inv.TailCallTargets is IProgramSlots resolver && resolver.SlotsOf(map) is { } slots)
        {
            (inv.TailCallSlotsHandle, inv.TailCallSlots) = (map, slots);
            target = (uint)index < (uint)slots.Length ? Volatile.Read(ref slots[(uint)index]) : null;
        }
        else
        {
            target = inv.TailCallTargets?.Find(map, (uint)index);
        }
        if (target is null) return 0;
        inv.TailCallCount++;
        var code = target.JitCache.Get(inv.Helpers, isChecked, handBack);
        // Usually the caller's own group, whose code is running and so alive: then nothing to store.
        if (inv.TailCallTargetGroup != code.Group) inv.TailCallTargetGroup = code.Group;
        return (nint)code.Entry;
    }
}
