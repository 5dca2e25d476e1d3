using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Isa;

/// <summary>The pseudo operands of <c>lddw</c>. Expected bytes follow the kernel's own encoders in
/// include/linux/filter.h: <c>BPF_LD_MAP_FD(dst, fd)</c> is <c>BPF_LD_IMM64_RAW(dst, BPF_PSEUDO_MAP_FD, fd)</c>, i.e.
/// opcode 0x18, src 1, imm = fd, second slot imm = fd &gt;&gt; 32; <c>BPF_LD_MAP_VALUE(dst, fd, off)</c> sets src 2,
/// imm = fd and the second slot's imm = off; BPF_PSEUDO_FUNC (src 4) carries the callee's pc-relative index in imm
/// (<c>check_ld_imm</c>: <c>env-&gt;insn_idx + insn-&gt;imm + 1</c>). Here the "fd" is the index of the case's map.</summary>
public class AssemblerPseudoLoadTests
{
    static string Hex(string asm) => Assembler.Assemble(asm).ToHex();

    [Theory]
    [InlineData("lddw %r1, map:0", "18 11 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00")]
    [InlineData("lddw %r1, map:3", "18 11 00 00 03 00 00 00 | 00 00 00 00 00 00 00 00")]
    [InlineData("lddw %r9, map:0x10", "18 19 00 00 10 00 00 00 | 00 00 00 00 00 00 00 00")]
    public void Map_is_BPF_PSEUDO_MAP_FD_with_the_map_index_in_imm(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("lddw %r2, mapvalue:0", "18 22 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00")]
    [InlineData("lddw %r2, mapvalue:0+8", "18 22 00 00 00 00 00 00 | 00 00 00 00 08 00 00 00")]
    [InlineData("lddw %r0, mapvalue:1+0x100", "18 20 00 00 01 00 00 00 | 00 00 00 00 00 01 00 00")]
    [InlineData("lddw %r3, mapvalue:2-4", "18 23 00 00 02 00 00 00 | 00 00 00 00 fc ff ff ff")]
    public void Mapvalue_is_BPF_PSEUDO_MAP_VALUE_with_the_offset_in_the_second_slot(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Fact]
    public void Func_is_BPF_PSEUDO_FUNC_relative_to_the_slot_after_the_first_one()
    {
        // slot 0 mov, slots 1-2 lddw, 3 exit, 4 callback: imm = 4 - 1 - 1 = 2
        var code = Assembler.Assemble("mov %r0, 0\nlddw %r2, func:cb\nexit\ncb:\nexit");
        Assert.Equal("18 42 00 00 02 00 00 00 | 00 00 00 00 00 00 00 00", code[1..3].ToHex());
    }

    [Fact]
    public void Func_may_point_backwards_and_take_a_number()
    {
        var code = Assembler.Assemble("cb:\nexit\nlddw %r2, func:cb\nlddw %r3, func:-4");
        Assert.Equal(-2, code[1].Imm);
        Assert.Equal(-4, code[3].Imm);
        Assert.Equal((Register)4, code[3].Src);
    }

    [Theory]
    [InlineData("lddw %r1, map:", "Invalid map index: map:")]
    [InlineData("lddw %r1, map:-1", "Invalid map index: map:-1")]
    [InlineData("lddw %r1, map:x", "Invalid immediate: x")]
    [InlineData("lddw %r1, mapvalue:+8", "Invalid map index: mapvalue:+8")]
    [InlineData("lddw %r1, mapvalue:0+", "Invalid immediate: +")]
    [InlineData("lddw %r1, func:", "Invalid function reference: func:")]
    [InlineData("lddw %r1, func:nowhere", "Invalid label: nowhere")]
    public void Malformed_pseudo_operands_are_refused(string asm, string reason) =>
        Assert.Equal(reason, Assert.Throws<AssemblerException>(() => Assembler.Assemble(asm)).Reason);
}
