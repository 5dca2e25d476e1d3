using System.Runtime.CompilerServices;

namespace BpfSharp.Execution;

/// <summary>Every error a run can stop with, built in one place for both engines (so their messages cannot drift)
/// and out of their hot loops (formatting a message there costs registers and a zeroed buffer on every run). Each
/// returns the exception for the caller to throw.</summary>
internal static class ExecutionErrors
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException LeftProgram(ExecutableProgram program, int pc) =>
        new(program.Name, pc, $"execution left the program ({program.Length} insns): a jump out of range or no exit at the end");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException BudgetExhausted(ExecutableProgram program, int pc, long budget) =>
        new(program.Name, pc, $"instruction budget of {budget} exhausted (a loop that does not end?)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException NotAnInstruction(ExecutableProgram program, int pc) =>
        new(program.Name, pc, $"0x{(byte)program.Code[pc].Opcode:x2} is not an instruction here (a jump into the second half of lddw?)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException CallOutside(ExecutableProgram program, int pc, int target) =>
        new(program.Name, pc, $"call to insn {target}, outside the program ({program.Length} insns)");

    /// <summary>A call that would make the running program's chain <paramref name="frames"/> frames deep.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException TooDeep(ExecutableProgram program, int pc, int frames) =>
        new(program.Name, pc, $"the call stack of {frames} frames is too deep (at most {Invocation.MaxFrames})");

    /// <summary>An unchecked run reaching <paramref name="program"/>, which the verifier did not accept (from the
    /// run's entry, or a tail call at <paramref name="pc"/> of <paramref name="caller"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException Unverified(ExecutableProgram program, ExecutableProgram? caller = null, int pc = 0) =>
        new(caller?.Name ?? program.Name, pc,
            $"'{program.Name}' was not verified and may only run bounds-checked{(caller is null ? "" : " (a tail call from an unchecked run)")}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException UnknownHelper(ExecutableProgram program, int pc, long id) =>
        new(program.Name, pc, $"call to unknown helper {id}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException Kfunc(ExecutableProgram program, int pc, int id) =>
        new(program.Name, pc, $"call to unknown kfunc {id}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException MisalignedAtomic(ExecutableProgram program, int pc, int size, ulong address) =>
        new(program.Name, pc, $"misaligned {size * 8}-bit atomic access at 0x{address:x}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static MemoryFaultException MemoryFault(Invocation inv, ExecutableProgram program, int pc, ulong address, int size, MemoryAccess access) =>
        new(program.Name, pc, address, size, access, inv.DescribeRegions());

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException CallbackTooDeep(Invocation inv, int frames) =>
        inv.Fault($"the call stack of {frames} frames is too deep (at most {Invocation.MaxFrames}) for the callback");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BpfRuntimeException CallbackOutside(Invocation inv, ExecutableProgram program, int pc) =>
        inv.Fault($"callback at insn {pc} is outside the program ({program.Length} insns)");
}
