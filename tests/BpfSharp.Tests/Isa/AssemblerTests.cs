using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Isa;

/// <summary>Hand-written encodings. Expected bytes are worked out from RFC 9669 (§3 layout: opcode, dst low nibble /
/// src high nibble, le16 offset, le32 imm; §4.1 ALU op codes, §4.2 byte swaps, §4.3 jumps and calls, §5.2-5.4 loads,
/// stores, atomics, lddw, §5.5 legacy packet loads), never from our own output.</summary>
public class AssemblerTests
{
    static string Hex(string asm) => Assembler.Assemble(asm).ToHex();

    [Theory]
    [InlineData("add32 %r1, 2", "04 01 00 00 02 00 00 00")]
    [InlineData("add %r1, %r2", "0f 21 00 00 00 00 00 00")]
    [InlineData("add64 %r1, %r2", "0f 21 00 00 00 00 00 00")]
    [InlineData("sub32 %r3, %r4", "1c 43 00 00 00 00 00 00")]
    [InlineData("mul %r1, -1", "27 01 00 00 ff ff ff ff")]
    [InlineData("div32 %r1, 0x10", "34 01 00 00 10 00 00 00")]
    [InlineData("or %r9, 0xffffffff", "47 09 00 00 ff ff ff ff")]
    [InlineData("and32 %r0, %r10", "5c a0 00 00 00 00 00 00")]
    [InlineData("lsh %r1, 63", "67 01 00 00 3f 00 00 00")]
    [InlineData("rsh32 %r1, %r2", "7c 21 00 00 00 00 00 00")]
    [InlineData("mod %r1, 7", "97 01 00 00 07 00 00 00")]
    [InlineData("xor %r1, %r2", "af 21 00 00 00 00 00 00")]
    [InlineData("mov %r0, 0xcafe", "b7 00 00 00 fe ca 00 00")]
    [InlineData("mov32 %r0, -2147483648", "b4 00 00 00 00 00 00 80")]
    [InlineData("arsh32 %r1, 1", "c4 01 00 00 01 00 00 00")]
    [InlineData("arsh %r1, %r2", "cf 21 00 00 00 00 00 00")]
    public void Arithmetic_takes_class_from_the_suffix_and_source_from_the_second_operand(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("neg %r1", "87 01 00 00 00 00 00 00")]
    [InlineData("neg64 %r1", "87 01 00 00 00 00 00 00")]
    [InlineData("neg32 %r1", "84 01 00 00 00 00 00 00")]
    public void Neg_has_one_operand_and_the_immediate_form(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("sdiv32 %r1, 3", "34 01 01 00 03 00 00 00")]
    [InlineData("sdiv %r1, %r2", "3f 21 01 00 00 00 00 00")]
    [InlineData("smod32 %r1, %r2", "9c 21 01 00 00 00 00 00")]
    [InlineData("smod %r1, -3", "97 01 01 00 fd ff ff ff")]
    public void Signed_division_and_modulo_set_offset_1(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("movsx864 %r1, %r2", "bf 21 08 00 00 00 00 00")]
    [InlineData("movsx1664 %r1, %r2", "bf 21 10 00 00 00 00 00")]
    [InlineData("movsx3264 %r1, %r2", "bf 21 20 00 00 00 00 00")]
    [InlineData("movsx832 %r1, %r2", "bc 21 08 00 00 00 00 00")]
    [InlineData("movsx1632 %r1, %r2", "bc 21 10 00 00 00 00 00")]
    public void Movsx_puts_the_source_width_in_the_offset(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("le16 %r1", "d4 01 00 00 10 00 00 00")]
    [InlineData("le32 %r1", "d4 01 00 00 20 00 00 00")]
    [InlineData("le64 %r1", "d4 01 00 00 40 00 00 00")]
    [InlineData("be16 %r1", "dc 01 00 00 10 00 00 00")]
    [InlineData("be64 %r3", "dc 03 00 00 40 00 00 00")]
    [InlineData("bswap32 %r1", "d7 01 00 00 20 00 00 00")]
    [InlineData("swap64 %r2", "d7 02 00 00 40 00 00 00")]
    [InlineData("swap16 %r2", "d7 02 00 00 10 00 00 00")]
    public void Byte_swaps_put_the_width_in_the_immediate(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("ldxw %r0, [%r1+4]", "61 10 04 00 00 00 00 00")]
    [InlineData("ldxh %r0, [%r1]", "69 10 00 00 00 00 00 00")]
    [InlineData("ldxb %r0, [%r1-1]", "71 10 ff ff 00 00 00 00")]
    [InlineData("ldxdw %r0, [%r10-8]", "79 a0 f8 ff 00 00 00 00")]
    [InlineData("ldxsw %r0, [%r1+2]", "81 10 02 00 00 00 00 00")]
    [InlineData("ldxsh %r0, [%r1+2]", "89 10 02 00 00 00 00 00")]
    [InlineData("ldxsb %r0, [%r1+0x7fff]", "91 10 ff 7f 00 00 00 00")]
    [InlineData("ldxw %r0, [%r1+0xffff]", "61 10 ff ff 00 00 00 00")]
    [InlineData("ldxw %r0, [%r1-32768]", "61 10 00 80 00 00 00 00")]
    public void Loads_take_the_source_register_and_offset_from_the_brackets(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("stb [%r10-1], 0x7f", "72 0a ff ff 7f 00 00 00")]
    [InlineData("sth [%r1+2], -1", "6a 01 02 00 ff ff ff ff")]
    [InlineData("stw [%r1], 7", "62 01 00 00 07 00 00 00")]
    [InlineData("stdw [%r10-8], 1", "7a 0a f8 ff 01 00 00 00")]
    [InlineData("stxb [%r10-1], %r1", "73 1a ff ff 00 00 00 00")]
    [InlineData("stxh [%r10-2], %r1", "6b 1a fe ff 00 00 00 00")]
    [InlineData("stxw [%r10-4], %r1", "63 1a fc ff 00 00 00 00")]
    [InlineData("stxdw [%r10-8], %r1", "7b 1a f8 ff 00 00 00 00")]
    public void Stores_take_the_destination_register_and_offset_from_the_brackets(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("lddw %r1, 0x1122334455667788", "18 01 00 00 88 77 66 55 | 00 00 00 00 44 33 22 11")]
    [InlineData("lddw %r0, -1", "18 00 00 00 ff ff ff ff | 00 00 00 00 ff ff ff ff")]
    [InlineData("lddw %r0, 18446744073709551615", "18 00 00 00 ff ff ff ff | 00 00 00 00 ff ff ff ff")]
    [InlineData("lddw %r0, 0x80000000", "18 00 00 00 00 00 00 80 | 00 00 00 00 00 00 00 00")]
    public void Lddw_splits_its_64_bit_immediate_over_two_slots(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("lock add [%r10-8], %r1", "db 1a f8 ff 00 00 00 00")]
    [InlineData("lock fetch add32 [%r10-4], %r1", "c3 1a fc ff 01 00 00 00")]
    [InlineData("lock or [%r10-8], %r1", "db 1a f8 ff 40 00 00 00")]
    [InlineData("lock fetch and [%r10-8], %r3", "db 3a f8 ff 51 00 00 00")]
    [InlineData("lock xor32 [%r10-4], %r1", "c3 1a fc ff a0 00 00 00")]
    [InlineData("lock xchg [%r10-8], %r1", "db 1a f8 ff e1 00 00 00")]
    [InlineData("lock fetch xchg32 [%r10-4], %r1", "c3 1a fc ff e1 00 00 00")]
    [InlineData("lock cmpxchg32 [%r10-4], %r2", "c3 2a fc ff f1 00 00 00")]
    [InlineData("lock cmpxchg [%r10-8], %r1", "db 1a f8 ff f1 00 00 00")]
    public void Atomics_put_the_operation_and_fetch_flag_in_the_immediate(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    // The encodings of the kernel's selftests (verifier_load_acquire.c): BPF_LOAD_ACQ 0x100 loads dst through src,
    // BPF_STORE_REL 0x110 stores src through dst; 8 and 16 bits only for these two.
    [Theory]
    [InlineData("lock load_acq8 %r2, [%r10-1]", "d3 a2 ff ff 00 01 00 00")]
    [InlineData("lock load_acq16 %r2, [%r10-2]", "cb a2 fe ff 00 01 00 00")]
    [InlineData("lock load_acq32 %r2, [%r10-4]", "c3 a2 fc ff 00 01 00 00")]
    [InlineData("lock load_acq %r2, [%r10-8]", "db a2 f8 ff 00 01 00 00")]
    [InlineData("lock store_rel8 [%r10-1], %r1", "d3 1a ff ff 10 01 00 00")]
    [InlineData("lock store_rel [%r10-8], %r1", "db 1a f8 ff 10 01 00 00")]
    public void Load_acquire_and_store_release_are_atomics_with_their_own_immediates(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("may_goto +1", "e5 00 01 00 00 00 00 00")]
    [InlineData("may_goto -3", "e5 00 fd ff 00 00 00 00")]
    public void May_goto_is_a_jump_with_its_target_in_the_offset(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("ja +1", "05 00 01 00 00 00 00 00")]
    [InlineData("ja -1", "05 00 ff ff 00 00 00 00")]
    [InlineData("ja32 +1", "06 00 00 00 01 00 00 00")]
    [InlineData("ja32 -100000", "06 00 00 00 60 79 fe ff")]
    [InlineData("jeq %r1, 5, +2", "15 01 02 00 05 00 00 00")]
    [InlineData("jeq %r1, %r2, +2", "1d 21 02 00 00 00 00 00")]
    [InlineData("jgt %r1, 1, +0", "25 01 00 00 01 00 00 00")]
    [InlineData("jge %r1, %r2, +0", "3d 21 00 00 00 00 00 00")]
    [InlineData("jset %r1, 0x80, +0", "45 01 00 00 80 00 00 00")]
    [InlineData("jne %r1, %r2, +0", "5d 21 00 00 00 00 00 00")]
    [InlineData("jsgt %r1, -1, +0", "65 01 00 00 ff ff ff ff")]
    [InlineData("jsge %r1, %r2, +0", "7d 21 00 00 00 00 00 00")]
    [InlineData("jlt %r1, 1, +0", "a5 01 00 00 01 00 00 00")]
    [InlineData("jle %r1, %r2, +0", "bd 21 00 00 00 00 00 00")]
    [InlineData("jslt %r1, 1, +0", "c5 01 00 00 01 00 00 00")]
    [InlineData("jsle %r1, %r2, +0", "dd 21 00 00 00 00 00 00")]
    [InlineData("jne32 %r1, 0x10, +0x10", "56 01 10 00 10 00 00 00")]
    [InlineData("jsle32 %r1, %r2, -1", "de 21 ff ff 00 00 00 00")]
    [InlineData("jeq32 %r0, 0, +1", "16 00 01 00 00 00 00 00")]
    public void Jumps_put_a_numeric_target_in_the_offset_except_ja32(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("call 5", "85 00 00 00 05 00 00 00")]
    [InlineData("call helper 5", "85 00 00 00 05 00 00 00")]
    [InlineData("call %r2", "8d 02 00 00 00 00 00 00")]
    [InlineData("call local +3", "85 10 00 00 03 00 00 00")]
    [InlineData("call runtime 7", "85 20 00 00 07 00 00 00")]
    [InlineData("exit", "95 00 00 00 00 00 00 00")]
    public void Calls_select_helper_local_or_runtime_with_the_source_field(string asm, string bytes) =>
        Assert.Equal(bytes, Hex(asm));

    [Theory]
    [InlineData("ldabsw 4", "20 00 00 00 04 00 00 00")]
    [InlineData("ldabsh 4", "28 00 00 00 04 00 00 00")]
    [InlineData("ldabsb 4", "30 00 00 00 04 00 00 00")]
    [InlineData("ldindw %r3, 4", "40 30 00 00 04 00 00 00")]
    [InlineData("ldindh %r3, 4", "48 30 00 00 04 00 00 00")]
    [InlineData("ldindb %r3, -4", "50 30 00 00 fc ff ff ff")]
    public void Legacy_packet_loads_use_the_GNU_as_spelling(string asm, string bytes) => Assert.Equal(bytes, Hex(asm));

    [Fact]
    public void Registers_r11_to_r15_are_encoded_so_that_negative_tests_can_be_built() =>
        Assert.Equal("b7 0b 00 00 01 00 00 00 | bf f1 00 00 00 00 00 00", Hex("mov %r11, 1\nmov %r1, %r15"));

    [Fact]
    public void A_forward_label_is_relative_to_the_next_slot() =>
        Assert.Equal("15 01 01 00 00 00 00 00 | b7 00 00 00 01 00 00 00 | 95 00 00 00 00 00 00 00",
            Hex("jeq %r1, 0, done\nmov %r0, 1\ndone:\nexit"));

    [Fact]
    public void A_backward_label_gives_a_negative_offset() =>
        Assert.Equal("07 00 00 00 01 00 00 00 | 05 00 fe ff 00 00 00 00", Hex("top:\nadd %r0, 1\nja top"));

    [Fact]
    public void The_exit_label_names_the_first_exit() =>
        Assert.Equal("05 00 01 00 00 00 00 00", Assembler.Assemble("ja exit\nmov %r0, 1\nexit\nexit")[..1].ToHex());

    [Fact]
    public void Lddw_counts_as_two_slots_for_labels() =>
        Assert.Equal(2, Assembler.Assemble("ja end\nlddw %r0, 1\nend:\nexit")[0].Offset);

    [Fact]
    public void A_local_call_to_a_label_puts_the_distance_in_the_immediate()
    {
        var code = Assembler.Assemble("call local f\nexit\nf:\nmov %r0, 1\nexit");
        Assert.Equal("85 10 00 00 01 00 00 00", code[..1].ToHex());
    }

    [Fact]
    public void Ja32_to_a_label_puts_the_distance_in_the_immediate() =>
        Assert.Equal("06 00 00 00 01 00 00 00", Assembler.Assemble("ja32 L\nexit\nL:\nexit")[..1].ToHex());

    [Fact]
    public void Comments_blank_lines_and_carriage_returns_are_ignored() =>
        Assert.Equal("b7 00 00 00 01 00 00 00 | 95 00 00 00 00 00 00 00",
            Hex("# set r0\r\n\r\n   mov %r0, 1   # one\r\n\texit\r\n"));
}
