using BpfSharp.Execution;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>Jumps, BPF-to-BPF calls and the runaway-loop budget.</summary>
public class ControlFlowTests
{
    public static TheoryData<ExecutionEngine> Engines => Machine.Engines;

    [Theory, MemberData(nameof(Engines))]
    public void Jmp32_compares_only_the_low_halves(ExecutionEngine e)
    {
        var code = Code(Asm.LoadImm64(R1, 0x1_0000_0000), Asm.Mov64(R0, 1), Asm.Jump(Opcode.Jeq32Imm, R1, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        Assert.Equal(1UL, Run(e, code));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Signed_and_unsigned_comparisons_disagree_on_minus_one(ExecutionEngine e)
    {
        var unsigned = Code(Asm.Mov64(R1, -1), Asm.Mov64(R0, 1), Asm.Jump(Opcode.JgtImm, R1, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        var signed = Code(Asm.Mov64(R1, -1), Asm.Mov64(R0, 1), Asm.Jump(Opcode.JsgtImm, R1, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        Assert.Equal(1UL, Run(e, unsigned));
        Assert.Equal(2UL, Run(e, signed));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Gotol_jumps_by_its_32_bit_immediate(ExecutionEngine e)
    {
        var code = Code(Asm.Mov64(R0, 1), new Instruction(Opcode.Ja32, R0, R0, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        Assert.Equal(1UL, Run(e, code));
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_local_call_passes_r1_to_r5_returns_r0_and_preserves_r6_to_r9_and_the_callers_stack(ExecutionEngine e)
    {
        var code = Code(
            Asm.Mov64(R6, 6), Asm.Mov64(R9, 9), Asm.Mov64(R1, 100), Asm.Store(Opcode.StDw, R10, -8, 77),
            Asm.CallLocal(5),                                    // → insn 10
            Asm.Alu(Opcode.Add64Reg, R0, R6), Asm.Alu(Opcode.Add64Reg, R0, R9),
            Asm.Load(Opcode.LdxDw, R2, R10, -8), Asm.Alu(Opcode.Add64Reg, R0, R2),
            Asm.Exit(),
            // callee: clobbers r6, r9 and its own r10 - 8, returns r1 + 1
            Asm.Mov64(R6, 1000), Asm.Mov64(R9, 1000), Asm.Store(Opcode.StDw, R10, -8, 1000),
            Asm.Mov64(R0, R1), Asm.Add64(R0, 1), Asm.Exit());
        Assert.Equal(101UL + 6 + 9 + 77, Run(e, code));
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_callee_can_read_its_callers_stack_through_a_pointer(ExecutionEngine e)
    {
        var code = Code(
            Asm.Store(Opcode.StDw, R10, -8, 42), Asm.Mov64(R1, R10), Asm.Add64(R1, -8), Asm.CallLocal(1), Asm.Exit(),
            Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit());
        Assert.Equal(42UL, Run(e, code));
    }

    /// <summary>main calls f1, f1 calls f2, …: <paramref name="frames"/> frames in all; the last returns 1.</summary>
    static Instruction[] Nested(int frames)
    {
        var code = new List<Instruction>();
        for (var i = 1; i < frames; i++)
            code.AddRange(new[] { Asm.CallLocal(1), Asm.Exit() }); // each calls the function right after it
        code.AddRange(new[] { Asm.Mov64(R0, 1), Asm.Exit() });
        return code.ToArray();
    }

    [Theory, MemberData(nameof(Engines))]
    public void Eight_frames_run_and_a_ninth_is_too_deep_like_the_kernel(ExecutionEngine e)
    {
        Assert.Equal(1UL, Run(e, Nested(8)));
        var error = Assert.Throws<BpfRuntimeException>(() => Run(e, Nested(9)));
        Assert.Contains("the call stack of 9 frames is too deep", error.Message);
    }

    [Theory, MemberData(nameof(Engines))]
    public void An_endless_loop_is_stopped_by_the_instruction_budget(ExecutionEngine e)
    {
        using var invocation = new Invocation(BpfSharp.Helpers.StandardHelpers.Create()) { InstructionBudget = 10_000 };
        var error = Assert.Throws<BpfRuntimeException>(() => Run(e, Code(Asm.Mov64(R0, 0), Asm.Ja(-1), Asm.Exit()), Array.Empty<byte>(), invocation: invocation));
        Assert.Contains("instruction budget of 10000 exhausted", error.Message);
    }

    [Theory, MemberData(nameof(Engines))]
    public void Falling_off_the_end_is_stopped(ExecutionEngine e) =>
        Assert.Contains("execution left the program", Assert.Throws<BpfRuntimeException>(() => Run(e, Asm.Mov64(R0, 0))).Message);

    [Theory, MemberData(nameof(Engines))]
    public void A_jump_into_the_second_half_of_lddw_is_stopped(ExecutionEngine e)
    {
        var code = Code(Asm.Ja(1), Asm.LoadImm64(R0, 5), Asm.Exit());
        Assert.Contains("not an instruction here", Assert.Throws<BpfRuntimeException>(() => Run(e, code)).Message);
    }

    [Theory, MemberData(nameof(Engines))]
    public void A_call_into_the_second_half_of_lddw_is_stopped_in_the_new_frame(ExecutionEngine e)
    {
        var code = Code(Asm.CallLocal(1), Asm.LoadImm64(R0, 5), Asm.Exit());
        Assert.Equal("test: insn 2: 0x00 is not an instruction here (a jump into the second half of lddw?)",
            Assert.Throws<BpfRuntimeException>(() => Run(e, code)).Message);
    }

    [Theory, MemberData(nameof(Engines))]
    public void An_unknown_helper_is_named(ExecutionEngine e)
    {
        var error = Assert.Throws<BpfRuntimeException>(() => Run(e, Asm.CallHelper(9999), Asm.Exit()));
        Assert.Equal("test: insn 0: call to unknown helper 9999", error.Message);
    }
}
