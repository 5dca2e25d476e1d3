using System.Text;
using BpfSharp.Helpers;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_strtol, bpf_strtoul (<c>__bpf_strtoull</c> over lib/kstrtox.c's parser) and bpf_strncmp
/// (lib/string.c's strncmp), kernel/bpf/helpers.c.</summary>
public class StringHelperTests
{
    const long EINVAL = -22, ERANGE = -34;

    static (long Returned, long Value) Parse(HelperId helper, string text, ulong flags, int? length = null)
    {
        using var h = new HelperHarness();
        var bytes = Encoding.Latin1.GetBytes(text);
        var buf = h.Alloc(bytes);
        var res = h.Alloc(Enumerable.Repeat((byte)0x5a, 8).ToArray());
        var r = h.CallSigned(helper, buf, (ulong)(length ?? bytes.Length), flags, res);
        return (r, h.S64(res));
    }

    [Theory]
    [InlineData("123", 10, 3, 123)]
    [InlineData("  -42xyz", 0, 5, -42)]            // blanks and the sign count as consumed
    [InlineData("0x1f", 0, 4, 31)]                 // base 0: "0x" and a hex digit mean 16
    [InlineData("0X1A", 16, 4, 26)]
    [InlineData("0x", 0, 1, 0)]                    // no hex digit after "0x": octal "0"
    [InlineData("017", 0, 3, 15)]
    [InlineData("019", 0, 2, 1)]                   // octal stops at 9
    [InlineData("-0x10", 0, 5, -16)]
    [InlineData("\t\n\v\f\r 7", 10, 7, 7)]
    [InlineData("\u00a05", 10, 2, 5)]              // the kernel's ctype: 0xa0 is a space
    [InlineData("9223372036854775807", 10, 19, long.MaxValue)]
    [InlineData("-9223372036854775808", 10, 20, long.MinValue)]
    [InlineData("-0", 10, 2, 0)]
    public void Strtol_returns_the_characters_consumed_and_writes_the_value(string text, ulong flags, long consumed, long value) =>
        Assert.Equal((consumed, value), Parse(HelperId.Strtol, text, flags));

    [Theory]
    [InlineData("0x", 16, EINVAL)]                 // the prefix is skipped, no digits follow
    [InlineData("ff", 10, EINVAL)]
    [InlineData("+5", 10, EINVAL)]                 // no '+' in the kernel's parser
    [InlineData("-", 10, EINVAL)]
    [InlineData("   ", 10, EINVAL)]
    [InlineData("101", 2, EINVAL)]                 // only bases 0, 8, 10, 16
    [InlineData("101", 0x20 | 10, EINVAL)]         // no flags beyond the base
    [InlineData("9223372036854775808", 10, ERANGE)]
    [InlineData("-9223372036854775809", 10, ERANGE)]
    [InlineData("18446744073709551616", 10, ERANGE)]
    public void Strtol_failures_leave_zero_in_the_result(string text, ulong flags, long errno) =>
        Assert.Equal((errno, 0L), Parse(HelperId.Strtol, text, flags));

    [Fact]
    public void Strtol_reads_only_buf_len_bytes_and_stops_at_a_nul_and_after_63_digits()
    {
        Assert.Equal((3L, 123L), Parse(HelperId.Strtol, "12345", 10, length: 3));
        Assert.Equal((2L, 12L), Parse(HelperId.Strtol, "12\034", 10));
        Assert.Equal((63L, 0L), Parse(HelperId.Strtol, new string('0', 69) + "1", 10));
        Assert.Equal((EINVAL, 0L), Parse(HelperId.Strtol, "1", 10, length: 0));
    }

    [Theory]
    [InlineData("18446744073709551615", 0, 20, -1)]
    [InlineData("0xffffffffffffffff", 0, 18, -1)]
    [InlineData("  99 bottles", 0, 4, 99)]
    [InlineData("4000000000", 10, 10, 4_000_000_000)]
    public void Strtoul_parses_the_whole_u64_range(string text, ulong flags, long consumed, long value) =>
        Assert.Equal((consumed, value), Parse(HelperId.Strtoul, text, flags));

    [Theory]
    [InlineData("-1", EINVAL)]
    [InlineData("-0", EINVAL)]
    [InlineData("18446744073709551616", ERANGE)]
    public void Strtoul_refuses_a_sign_and_overflow(string text, long errno) =>
        Assert.Equal((errno, 0L), Parse(HelperId.Strtoul, text, 10));

    [Theory]
    [InlineData("abc", 3, "abd", -1)]
    [InlineData("abd", 3, "abc", 1)]
    [InlineData("abc", 3, "abc", 0)]
    [InlineData("abc", 2, "abd", 0)]
    [InlineData("ab\0x", 4, "ab", 0)]
    [InlineData("abc", 3, "ab", 1)]
    [InlineData("\u00ff", 1, "a", 1)]             // unsigned bytes
    [InlineData("a", 1, "", 1)]
    public void Strncmp_answers_minus_one_zero_or_one(string s1, int size, string s2, long expected)
    {
        using var h = new HelperHarness();
        var a = h.Alloc(Encoding.Latin1.GetBytes(s1));
        Assert.Equal(expected, h.CallSigned(HelperId.Strncmp, a, (ulong)size, h.Text(s2, latin1: true)));
    }
}
