using BpfSharp.Execution;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>Arithmetic, with values worked out from RFC 9669 §4.1-4.2.</summary>
public class AluTests
{
    public static TheoryData<ExecutionEngine> Engines => Machine.Engines;

    static ulong Compute(ExecutionEngine e, ulong r0, Instruction op) => Run(e, Code(Asm.LoadImm64(R0, r0), op, Asm.Exit()));
    static ulong Compute(ExecutionEngine e, ulong r0, ulong r1, Instruction op) => Run(e, Code(Asm.LoadImm64(R0, r0), Asm.LoadImm64(R1, r1), op, Asm.Exit()));

    [Theory, MemberData(nameof(Engines))]
    public void Add32_wraps_and_clears_the_upper_half(ExecutionEngine e) =>
        Assert.Equal(0UL, Compute(e, 0xffff_ffff_ffff_ffff, Asm.Alu(Opcode.Add32Imm, R0, 1)));

    [Theory, MemberData(nameof(Engines))]
    public void Mov32_imm_zero_extends_and_mov64_imm_sign_extends(ExecutionEngine e)
    {
        Assert.Equal(0x0000_0000_ffff_ffffUL, Run(e, Asm.Mov32(R0, -1), Asm.Exit()));
        Assert.Equal(0xffff_ffff_ffff_ffffUL, Run(e, Asm.Mov64(R0, -1), Asm.Exit()));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Alu64_immediates_are_sign_extended_before_unsigned_division(ExecutionEngine e) =>
        // imm -1 becomes 0xffff_ffff_ffff_ffff: any smaller dividend divides to 0.
        Assert.Equal(0UL, Compute(e, 0x7fff_ffff_ffff_ffff, Asm.Alu(Opcode.Div64Imm, R0, -1)));

    [Theory, MemberData(nameof(Engines))]
    public void Division_by_zero_gives_zero(ExecutionEngine e) =>
        Assert.Equal(0UL, Compute(e, 42, 0, Asm.Alu(Opcode.Div64Reg, R0, R1)));

    [Theory, MemberData(nameof(Engines))]
    public void Modulo_by_zero_leaves_the_dividend_and_the_32_bit_form_truncates_it(ExecutionEngine e)
    {
        Assert.Equal(0x1_0000_0005UL, Compute(e, 0x1_0000_0005, 0, Asm.Alu(Opcode.Mod64Reg, R0, R1)));
        Assert.Equal(5UL, Compute(e, 0x1_0000_0005, 0, Asm.Alu(Opcode.Mod32Reg, R0, R1)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Div32_looks_only_at_the_low_32_bits_of_the_divisor(ExecutionEngine e) =>
        Assert.Equal(0UL, Compute(e, 10, 0x1_0000_0000, Asm.Alu(Opcode.Div32Reg, R0, R1)));

    [Theory, MemberData(nameof(Engines))]
    public void Signed_division_of_the_minimum_by_minus_one_gives_the_minimum_and_modulo_zero(ExecutionEngine e)
    {
        Assert.Equal(0x8000_0000_0000_0000UL, Compute(e, 0x8000_0000_0000_0000, Asm.Alu(Opcode.Div64Imm, R0, -1, offset: 1)));
        Assert.Equal(0UL, Compute(e, 0x8000_0000_0000_0000, Asm.Alu(Opcode.Mod64Imm, R0, -1, offset: 1)));
        Assert.Equal(0x8000_0000UL, Compute(e, 0x8000_0000, Asm.Alu(Opcode.Div32Imm, R0, -1, offset: 1)));
        Assert.Equal(0UL, Compute(e, 0x8000_0000, Asm.Alu(Opcode.Mod32Imm, R0, -1, offset: 1)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Signed_division_truncates_toward_zero_and_the_remainder_takes_the_dividends_sign(ExecutionEngine e)
    {
        Assert.Equal(unchecked((ulong)-3L), Compute(e, unchecked((ulong)-7L), Asm.Alu(Opcode.Div64Imm, R0, 2, offset: 1)));
        Assert.Equal(unchecked((ulong)-1L), Compute(e, unchecked((ulong)-7L), Asm.Alu(Opcode.Mod64Imm, R0, 2, offset: 1)));
        Assert.Equal(0xffff_fffdUL, Compute(e, unchecked((uint)-7), Asm.Alu(Opcode.Div32Imm, R0, 2, offset: 1)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Signed_modulo_by_zero_leaves_the_dividend(ExecutionEngine e) =>
        Assert.Equal(0xffff_fff9UL, Compute(e, 0x1_ffff_fff9, 0, Asm.Alu(Opcode.Mod32Reg, R0, R1, offset: 1)));

    [Theory, MemberData(nameof(Engines))]
    public void Shift_counts_are_masked_to_the_operand_width(ExecutionEngine e)
    {
        Assert.Equal(2UL, Compute(e, 1, 65, Asm.Alu(Opcode.Lsh64Reg, R0, R1)));
        Assert.Equal(2UL, Compute(e, 1, 33, Asm.Alu(Opcode.Lsh32Reg, R0, R1)));
        Assert.Equal(0x4000_0000UL, Compute(e, 0x8000_0000, 0x21, Asm.Alu(Opcode.Rsh32Reg, R0, R1)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Arsh32_shifts_in_the_sign_bit_then_clears_the_upper_half(ExecutionEngine e) =>
        Assert.Equal(0xf800_0000UL, Compute(e, 0xffff_ffff_8000_0000, Asm.Alu(Opcode.Arsh32Imm, R0, 4)));

    [Theory, MemberData(nameof(Engines))]
    public void Arsh64_keeps_the_sign(ExecutionEngine e) =>
        Assert.Equal(0xf800_0000_0000_0000UL, Compute(e, 0x8000_0000_0000_0000, Asm.Alu(Opcode.Arsh64Imm, R0, 4)));

    [Theory, MemberData(nameof(Engines))]
    public void Neg_negates_in_the_operand_width(ExecutionEngine e)
    {
        Assert.Equal(0xffff_ffffUL, Compute(e, 1, Asm.Alu(Opcode.Neg32, R0, 0)));
        Assert.Equal(0xffff_ffff_ffff_ffffUL, Compute(e, 1, Asm.Alu(Opcode.Neg64, R0, 0)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Movsx_sign_extends_the_low_8_16_or_32_bits(ExecutionEngine e)
    {
        Assert.Equal(0xffff_ffff_ffff_ff80UL, Compute(e, 0, 0x180, Asm.Alu(Opcode.Mov64Reg, R0, R1, offset: 8)));
        Assert.Equal(0xffff_ffff_ffff_8000UL, Compute(e, 0, 0x8000, Asm.Alu(Opcode.Mov64Reg, R0, R1, offset: 16)));
        Assert.Equal(0xffff_ffff_8000_0000UL, Compute(e, 0, 0x1_8000_0000, Asm.Alu(Opcode.Mov64Reg, R0, R1, offset: 32)));
        Assert.Equal(0x0000_0000_ffff_8000UL, Compute(e, 0, 0x8000, Asm.Alu(Opcode.Mov32Reg, R0, R1, offset: 16)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Byte_swaps_convert_and_truncate_to_the_width(ExecutionEngine e)
    {
        const ulong v = 0x1122_3344_5566_7788;
        Assert.Equal(0x8877UL, Compute(e, v, Asm.Alu(Opcode.Be, R0, 16)));
        Assert.Equal(0x8877_6655UL, Compute(e, v, Asm.Alu(Opcode.Be, R0, 32)));
        Assert.Equal(0x8877_6655_4433_2211UL, Compute(e, v, Asm.Alu(Opcode.Be, R0, 64)));
        Assert.Equal(0x7788UL, Compute(e, v, Asm.Alu(Opcode.Le, R0, 16)));
        Assert.Equal(0x5566_7788UL, Compute(e, v, Asm.Alu(Opcode.Le, R0, 32)));
        Assert.Equal(v, Compute(e, v, Asm.Alu(Opcode.Le, R0, 64)));
        Assert.Equal(0x8877UL, Compute(e, v, Asm.Alu(Opcode.Bswap, R0, 16)));
        Assert.Equal(0x8877_6655_4433_2211UL, Compute(e, v, Asm.Alu(Opcode.Bswap, R0, 64)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Lddw_joins_both_immediates(ExecutionEngine e) =>
        Assert.Equal(0x1122_3344_8899_aabbUL, Run(e, Code(Asm.LoadImm64(R0, 0x1122_3344_8899_aabb), Asm.Exit())));
}
