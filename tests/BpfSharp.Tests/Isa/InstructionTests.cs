using System.Runtime.CompilerServices;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

public class InstructionTests
{
    [Fact]
    public void An_instruction_is_eight_bytes() => Assert.Equal(8, Unsafe.SizeOf<Instruction>());

    [Fact]
    public void Mov64_imm_encodes_as_in_RFC_9669()
    {
        // RFC 9669 §3: opcode, then dst in the low nibble and src in the high nibble, then offset and imm, little-endian.
        var insn = new Instruction(Opcode.Mov64Imm, Register.R0, Register.R0, 0, 0xcafe);
        var bytes = new byte[8];
        insn.Write(bytes);
        Assert.Equal("b7 00 00 00 fe ca 00 00", string.Join(" ", bytes.Select(b => b.ToString("x2"))));
    }

    [Fact]
    public void Register_nibbles_put_src_high_and_dst_low()
    {
        var insn = Instruction.Read(new byte[] { 0x0f, 0x21, 0xff, 0x7f, 0, 0, 0, 0x80 });
        Assert.Equal(Opcode.Add64Reg, insn.Opcode);
        Assert.Equal(Register.R1, insn.Dst);
        Assert.Equal(Register.R2, insn.Src);
        Assert.Equal(short.MaxValue, insn.Offset);
        Assert.Equal(int.MinValue, insn.Imm);
    }

    [Fact]
    public void The_raw_u64_form_has_the_opcode_in_the_lowest_byte() =>
        Assert.Equal(0x0000cafe_000000b7UL, new Instruction(Opcode.Mov64Imm, Register.R0, Register.R0, 0, 0xcafe).ToUInt64());
}
