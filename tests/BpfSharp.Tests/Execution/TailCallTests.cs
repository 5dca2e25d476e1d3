using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>bpf_tail_call in the interpreter, with the kernel's rules (DESIGN.md §3): the running frame is replaced,
/// at most 33 succeed per run, a failed call falls through.</summary>
public class TailCallTests
{
    public static TheoryData<ExecutionEngine> Engines => Machine.Engines;

    const ulong Map = 0x1000;

    /// <summary>r2 = map, r3 = slot, call bpf_tail_call (r1, the context, is left as the program got it).</summary>
    static Instruction[] TailCall(int slot) => Code(Asm.LoadImm64(R2, Map), Asm.Mov64(R3, slot), Asm.CallHelper((int)HelperId.TailCall));

    static ExecutableProgram Returns(string name, int value) => new(name, [Asm.Mov64(R0, value), Asm.Exit()]);

    /// <summary>Adds 1 to the u64 at ctx, then tail-calls slot 0, then returns 0xf00d.</summary>
    static ExecutableProgram Counter() => new("counter", Code(
        Asm.Load(Opcode.LdxDw, R2, R1, 0), Asm.Add64(R2, 1), Asm.Store(Opcode.StxDw, R1, 0, R2),
        TailCall(0), Asm.Mov64(R0, 0xf00d), Asm.Exit()));

    [Theory, MemberData(nameof(Engines))]
    public void A_tail_call_from_the_main_frame_returns_the_targets_value_to_the_caller(ExecutionEngine e)
    {
        var code = Code(TailCall(0), Asm.Mov64(R0, 0xf00d), Asm.Exit());
        Assert.Equal(0xcafeUL, Run(e, code, [], new FakeProgramArray(Map, Returns("serve_drink", 0xcafe))));
    }

    [Theory, MemberData(nameof(Engines))]
    public void An_empty_slot_or_an_index_past_the_end_falls_through(ExecutionEngine e)
    {
        var targets = new FakeProgramArray(Map, null, Returns("t", 0xcafe));
        Assert.Equal(0xf00dUL, Run(e, Code(TailCall(0), Asm.Mov64(R0, 0xf00d), Asm.Exit()), [], targets));
        Assert.Equal(0xf00dUL, Run(e, Code(TailCall(2), Asm.Mov64(R0, 0xf00d), Asm.Exit()), [], targets));
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_tail_call_from_a_subprogram_unwinds_only_that_frame(ExecutionEngine e)
    {
        // main: r6 = 1; call sub; r0 += r6; exit.  sub: tail-call slot 0 (returns 0xcafe); return 0xf00d.
        var code = Code(Asm.Mov64(R6, 1), Asm.CallLocal(2), Asm.Alu(Opcode.Add64Reg, R0, R6), Asm.Exit(),
            TailCall(0), Asm.Mov64(R0, 0xf00d), Asm.Exit());
        Assert.Equal(0xcafeUL + 1, Run(e, code, [], new FakeProgramArray(Map, Returns("serve_drink", 0xcafe))));
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_chain_stops_after_33_tail_calls_so_34_programs_run_like_linux_6_18(ExecutionEngine e)
    {
        var counter = Counter();
        var memory = new byte[8];
        using var invocation = new Invocation(StandardHelpers.Create());
        var result = Run(e, counter.Code.ToArray(), memory, new FakeProgramArray(Map, counter), invocation);
        Assert.Equal(0xf00dUL, result);
        Assert.Equal(34UL, BitConverter.ToUInt64(memory));
        Assert.Equal(33, invocation.TailCallCount);
    }

    [Theory, MemberData(nameof(Engines))]
    public void The_budget_is_shared_by_every_frame_so_the_hierarchy_program_runs_34_times(ExecutionEngine e)
    {
        // entry: count++; call sub; call sub; return 0.  sub: tail-call entry (slot 0); return 0.
        // Linux 6.10+ keeps one counter per run, so entry runs 34 times in all (DESIGN.md, kernel facts).
        var entry = new ExecutableProgram("entry", Code(
            Asm.Mov64(R6, R1),
            Asm.Load(Opcode.LdxDw, R2, R1, 0), Asm.Add64(R2, 1), Asm.Store(Opcode.StxDw, R1, 0, R2),
            Asm.Mov64(R1, R6), Asm.CallLocal(4), Asm.Mov64(R1, R6), Asm.CallLocal(2), Asm.Mov64(R0, 0), Asm.Exit(),
            TailCall(0), Asm.Mov64(R0, 0), Asm.Exit()));
        var memory = new byte[8];
        Run(e, entry.Code.ToArray(), memory, new FakeProgramArray(Map, entry));
        Assert.Equal(34UL, BitConverter.ToUInt64(memory));
    }

    [Theory, MemberData(nameof(Engines))]
    public void After_a_tail_call_from_a_subprogram_its_caller_sees_the_targets_last_r1_to_r5(ExecutionEngine e)
    {
        // Unverified code only (the kernel's verifier refuses reading r1-r5 after a call), but the interpreter's
        // register file is shared: main reads r2 and r3 after calling sub, which tail-called target; target set r2
        // itself and r3 in a subprogram of its own.
        var target = new ExecutableProgram("target", Code(
            Asm.Mov64(R2, 70), Asm.CallLocal(2), Asm.Mov64(R0, 1), Asm.Exit(),
            Asm.Mov64(R3, 7), Asm.Exit()));
        var code = Code(Asm.CallLocal(3), Asm.Mov64(R0, R2), Asm.Alu(Opcode.Add64Reg, R0, R3), Asm.Exit(),
            TailCall(0), Asm.Exit());
        Assert.Equal(77UL, Run(e, code, [], new FakeProgramArray(Map, target)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Registers_r1_and_the_frame_pointer_carry_into_the_target(ExecutionEngine e)
    {
        // The target reads the context the caller had in r1 and the stack slot the caller wrote.
        var target = new ExecutableProgram("target", Code(Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit()));
        var memory = BitConverter.GetBytes(0x5eedUL);
        Assert.Equal(0x5eedUL, Run(e, Code(TailCall(0), Asm.Mov64(R0, 0), Asm.Exit()), memory, new FakeProgramArray(Map, target)));
    }
}
