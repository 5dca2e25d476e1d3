using BpfSharp.Execution;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>Jumps, BPF-to-BPF calls and the runaway-loop budget.</summary>
public class ControlFlowTests
{
    [Fact]
    public void Jmp32_compares_only_the_low_halves()
    {
        var code = Code(Asm.LoadImm64(R1, 0x1_0000_0000), Asm.Mov64(R0, 1), Asm.Jump(Opcode.Jeq32Imm, R1, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        Assert.Equal(1UL, Run(code));
    }

    [Fact]
    public void Signed_and_unsigned_comparisons_disagree_on_minus_one()
    {
        var unsigned = Code(Asm.Mov64(R1, -1), Asm.Mov64(R0, 1), Asm.Jump(Opcode.JgtImm, R1, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        var signed = Code(Asm.Mov64(R1, -1), Asm.Mov64(R0, 1), Asm.Jump(Opcode.JsgtImm, R1, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        Assert.Equal(1UL, Run(unsigned));
        Assert.Equal(2UL, Run(signed));
    }

    [Fact]
    public void Gotol_jumps_by_its_32_bit_immediate()
    {
        var code = Code(Asm.Mov64(R0, 1), new Instruction(Opcode.Ja32, R0, R0, 0, 1), Asm.Mov64(R0, 2), Asm.Exit());
        Assert.Equal(1UL, Run(code));
    }

    [Fact]
    public void A_local_call_passes_r1_to_r5_returns_r0_and_preserves_r6_to_r9_and_the_callers_stack()
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
        Assert.Equal(101UL + 6 + 9 + 77, Run(code));
    }

    [Fact]
    public void A_callee_can_read_its_callers_stack_through_a_pointer()
    {
        var code = Code(
            Asm.Store(Opcode.StDw, R10, -8, 42), Asm.Mov64(R1, R10), Asm.Add64(R1, -8), Asm.CallLocal(1), Asm.Exit(),
            Asm.Load(Opcode.LdxDw, R0, R1, 0), Asm.Exit());
        Assert.Equal(42UL, Run(code));
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

    [Fact]
    public void Eight_frames_run_and_a_ninth_is_too_deep_like_the_kernel()
    {
        Assert.Equal(1UL, Run(Nested(8)));
        var e = Assert.Throws<BpfRuntimeException>(() => Run(Nested(9)));
        Assert.Contains("the call stack of 9 frames is too deep", e.Message);
    }

    [Fact]
    public void An_endless_loop_is_stopped_by_the_instruction_budget()
    {
        using var invocation = new Invocation(BpfSharp.Helpers.StandardHelpers.Create()) { InstructionBudget = 10_000 };
        var e = Assert.Throws<BpfRuntimeException>(() => Run(Code(Asm.Mov64(R0, 0), Asm.Ja(-1), Asm.Exit()), Array.Empty<byte>(), invocation: invocation));
        Assert.Contains("instruction budget of 10000 exhausted", e.Message);
    }

    [Fact]
    public void Falling_off_the_end_is_stopped() =>
        Assert.Contains("execution left the program", Assert.Throws<BpfRuntimeException>(() => Run(Asm.Mov64(R0, 0))).Message);

    [Fact]
    public void A_jump_into_the_second_half_of_lddw_is_stopped()
    {
        var code = Code(Asm.Ja(1), Asm.LoadImm64(R0, 5), Asm.Exit());
        Assert.Contains("not an instruction here", Assert.Throws<BpfRuntimeException>(() => Run(code)).Message);
    }

    [Fact]
    public void An_unknown_helper_is_named()
    {
        var e = Assert.Throws<BpfRuntimeException>(() => Run(Asm.CallHelper(9999), Asm.Exit()));
        Assert.Equal("test: insn 0: call to unknown helper 9999", e.Message);
    }
}
