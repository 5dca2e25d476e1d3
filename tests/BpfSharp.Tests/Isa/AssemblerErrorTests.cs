using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>Errors carry the upstream assembler's wording (lib/src/bpf_assembler.cc) and the 1-based line.</summary>
public class AssemblerErrorTests
{
    static AssemblerException Fails(string asm) => Assert.Throws<AssemblerException>(() => Assembler.Assemble(asm));

    [Theory]
    [InlineData("ldxq %r0, %r1", "Invalid mnemonic: ldxq")]
    [InlineData("or %r0, %r50", "Invalid register: %r50")]
    [InlineData("mov %r01, 1", "Invalid register: %r01")]
    [InlineData("mov r1, 1", "Invalid register: r1")]
    [InlineData("mov32 %r0, 2147483648", "Immediate out of 32-bit range: 2147483648")]
    [InlineData("mov32 %r0, -2147483649", "Immediate out of 32-bit range: -2147483649")]
    [InlineData("mov32 %r0, 0x100000000", "Immediate out of 32-bit range: 0x100000000")]
    [InlineData("mov32 %r0, -0x1", "Immediate out of 32-bit range: -0x1")]
    [InlineData("mov32 %r0, 99999999999999999999999", "Immediate out of 32-bit range: 99999999999999999999999")]
    [InlineData("mov %r0, 1abc", "Invalid immediate: 1abc")]
    [InlineData("lddw %r0, 0x10000000000000000", "Immediate out of 64-bit range: 0x10000000000000000")]
    [InlineData("lddw %r0, -9223372036854775809", "Immediate out of 64-bit range: -9223372036854775809")]
    [InlineData("ldxb %r0, [%r1+0x10000]", "Offset out of 16-bit range: +0x10000]")]
    [InlineData("ldxb %r0, [%r1+32768]", "Offset out of 16-bit range: +32768]")]
    [InlineData("ja -32769", "Offset out of 16-bit range: -32769")]
    [InlineData("ldxb %r0, %r1", "Failed to decode register and offset: %r1")]
    [InlineData("stxb [%r1+2, %r1", "Failed to decode register and offset: [%r1+2")]
    [InlineData("lddw %r0", "Invalid number of operands for mnemonic: lddw")]
    [InlineData("exit %r0", "Invalid number of operands for mnemonic: exit")]
    [InlineData("call", "Invalid number of operands for mnemonic: call")]
    [InlineData("call local a b", "Invalid number of operands for mnemonic: call")]
    [InlineData("call far 1", "Invalid call mode: far")]
    [InlineData("lock", "Invalid number of operands for lock")]
    [InlineData("lock fetch", "Invalid number of operands for lock")]
    [InlineData("lock or [%r10-8]", "Invalid number of operands for mnemonic: or")]
    [InlineData("lock nand [%r10-8], %r1", "Invalid mnemonic: lock nand")]
    [InlineData("ja NOT_A_LABEL", "Invalid label: NOT_A_LABEL")]
    [InlineData("call local nowhere", "Invalid label: nowhere")]
    public void A_bad_line_fails_with_the_upstream_message_and_line_1(string asm, string reason)
    {
        var error = Fails(asm);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(1, error.Line);
        Assert.Equal($"{reason} (line 1)", error.Message);
        Assert.IsAssignableFrom<BpfException>(error);
    }

    [Fact]
    public void The_line_number_counts_comments_and_blank_lines() =>
        Assert.Equal("Invalid mnemonic: ldxq (line 3)", Fails("# header\n\nldxq %r0, %r1\nexit").Message);

    [Fact]
    public void An_unknown_label_is_reported_on_the_line_that_uses_it() =>
        Assert.Equal(2, Fails("mov %r0, 0\nja missing\nexit").Line);

    [Fact]
    public void A_label_defined_twice_is_an_error() =>
        Assert.StartsWith("Duplicate label (a) detected, previous declaration at line 1", Fails("a:\nexit\na:\nexit").Message);

    [Fact]
    public void An_instruction_after_a_label_on_the_same_line_is_refused_rather_than_dropped() =>
        Assert.StartsWith("Unexpected text after label a", Fails("a: exit").Message);

    [Fact]
    public void A_label_further_than_a_16_bit_offset_is_an_error()
    {
        var text = "ja far\n" + string.Concat(Enumerable.Repeat("mov %r0, 0\n", 32768)) + "far:\nexit";
        Assert.StartsWith("Offset out of 16-bit range: far", Fails(text).Message);
    }

    [Fact]
    public void The_farthest_label_a_16_bit_offset_reaches_assembles()
    {
        var text = "ja far\n" + string.Concat(Enumerable.Repeat("mov %r0, 0\n", 32767)) + "far:\nexit";
        Assert.Equal(short.MaxValue, Assembler.Assemble(text)[0].Offset);
    }
}
