using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Isa;

/// <summary>The <c>.data</c> reader, on small hand-written files; the rules are those of the upstream parser as
/// ../shared/conformance/FORMAT.md describes them.</summary>
public class ConformanceFileTests
{
    static ConformanceTestFile Parse(string text) => ConformanceTestFile.Parse(text, "t.data");

    [Fact]
    public void A_file_gives_program_memory_and_result()
    {
        var test = Parse("# header\n-- asm\nldxb %r0, [%r1+1]\nexit\n-- mem\naa bb\ncc\n-- result\n0xbb\n");
        Assert.False(test.IsSkipped);
        Assert.Null(test.SkipReason);
        Assert.Equal("t.data", test.Name);
        Assert.Equal("71 10 01 00 00 00 00 00 | 95 00 00 00 00 00 00 00", test.Program.ToHex());
        Assert.Equal(new byte[] { 0xaa, 0xbb, 0xcc }, test.Memory);
        Assert.Equal(0xbbUL, test.ExpectedResult);
        Assert.Null(test.ExpectedError);
    }

    [Fact]
    public void A_result_without_0x_is_decimal_and_the_last_line_wins() =>
        Assert.Equal(18446744073709551615UL, Parse("-- asm\nexit\n-- result\n0x1\n18446744073709551615\n").ExpectedResult);

    [Fact]
    public void The_last_error_line_wins_and_the_result_stays_empty()
    {
        var test = Parse("-- asm\nexit\n-- error\nfirst\nInvalid register\n");
        Assert.Equal("Invalid register", test.ExpectedError);
        Assert.Null(test.ExpectedResult);
        Assert.False(test.IsSkipped);
    }

    [Fact]
    public void Raw_wins_over_asm_and_holds_one_little_endian_u64_per_instruction()
    {
        var test = Parse("-- asm\nldxq nonsense\n-- raw\n0x0000cafe000000b7 149\n-- result\n0xcafe\n");
        Assert.Equal("b7 00 00 00 fe ca 00 00 | 95 00 00 00 00 00 00 00", test.Program.ToHex());
    }

    [Fact]
    public void Comments_are_cut_everywhere_and_carriage_returns_dropped()
    {
        var test = Parse("-- asm # the program\r\nmov %r0, 2 # two\r\nexit\r\n-- result # r0\r\n0x2 # expected\r\n");
        Assert.Equal(2UL, test.ExpectedResult);
        Assert.Equal(2, test.Program.Length);
    }

    [Fact]
    public void C_and_no_register_offset_sections_are_ignored()
    {
        var test = Parse("-- c\nint main() { return 0; }\n-- asm\nexit\n-- no register offset\ngarbage\n-- result\n0\n");
        Assert.Single(test.Program);
        Assert.Equal(0UL, test.ExpectedResult);
    }

    [Fact]
    public void Directives_are_matched_as_substrings_in_upstream_order() =>
        // "mem" is tested before "raw", so "-- raw memory" opens a memory section.
        Assert.Equal(new byte[] { 0x11 }, Parse("-- asm\nexit\n-- raw memory\n11\n-- result\n1\n").Memory);

    [Fact]
    public void An_unknown_directive_skips_the_whole_file()
    {
        var test = Parse("-- asm\nexit\n-- Unknown directive\n-- result\n0x1\n");
        Assert.True(test.IsSkipped);
        Assert.StartsWith("Unknown directive -- Unknown directive (line 3)", test.SkipReason);
        Assert.Empty(test.Program);
        Assert.Null(test.ExpectedResult);
    }

    [Fact]
    public void A_file_with_neither_result_nor_error_is_skipped_before_assembling()
    {
        var test = Parse("-- asm\nnot an instruction\n-- error\n");
        Assert.True(test.IsSkipped);
        Assert.Equal("No result or error", test.SkipReason);
    }

    [Fact]
    public void A_file_without_instructions_is_skipped() =>
        Assert.Equal("No instructions", Parse("-- result\n0x0\n").SkipReason);

    [Fact]
    public void An_assembly_error_names_the_line_of_the_file() =>
        Assert.Equal("Invalid mnemonic: ldxq (line 4)",
            Assert.Throws<AssemblerException>(() => Parse("# a\n# b\n-- asm\nldxq %r0, %r1\n-- result\n1\n")).Message);

    [Theory]
    [InlineData("-- asm\nexit\n-- result\nzero\n", "Invalid result: zero (line 4)")]
    [InlineData("-- raw\n0xg\n-- result\n1\n", "Invalid raw instruction: 0xg (line 2)")]
    [InlineData("-- asm\nexit\n-- mem\nzz\n-- result\n1\n", "Invalid memory byte: zz (line 4)")]
    public void Unreadable_values_fail_with_their_line(string text, string message) =>
        Assert.Equal(message, Assert.Throws<AssemblerException>(() => Parse(text)).Message);

    [Fact]
    public void Memory_tokens_are_hex_and_keep_their_low_byte() =>
        Assert.Equal(new byte[] { 0x0a, 0x34, 0xff }, Parse("-- asm\nexit\n-- mem\na 0x1234 ff\n-- result\n1\n").Memory);

    [Fact]
    public void Raw_lines_of_eight_bytes_are_skipped_upstream_but_readable_as_intended()
    {
        var test = Parse("-- raw\n07 00 01 00 01 00 00 00\n95 00 00 00 00 00 00 00\n-- error\n");
        Assert.True(test.IsSkipped);
        var program = test.ReadRawAsByteRows();
        Assert.Equal("07 00 01 00 01 00 00 00 | 95 00 00 00 00 00 00 00", program.ToHex());
        // add64 with offset 1: RFC 9669 §4.1 says offset is 0 for add.
        Assert.Throws<ObjectFormatException>(() => InstructionDecoder.Validate(program));
    }

    [Fact]
    public void A_raw_line_that_is_not_eight_bytes_cannot_be_read_as_a_row() =>
        Assert.StartsWith("Raw line is not eight hex bytes",
            Assert.Throws<AssemblerException>(() => Parse("-- raw\n07 00 01\n-- error\n").ReadRawAsByteRows()).Message);
}
