using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_snprintf, bpf_trace_printk and bpf_trace_vprintk: the format rules of <c>bpf_bprintf_prepare</c>
/// (kernel/bpf/helpers.c) and the output of <c>bstr_printf</c> (lib/vsprintf.c). The kernel scenario
/// helpers/printf checks the same rules against Linux 6.18.</summary>
public class PrintfHelperTests
{
    const long EINVAL = -22, ENOSPC = -28;

    /// <summary>bpf_snprintf into a 128-byte buffer: its return and the text before the NUL.</summary>
    static (long Returned, string Text) Snprintf(string format, params ulong[] args) => SnprintfSized(128, format, args);

    static (long Returned, string Text) SnprintfSized(int size, string format, params ulong[] args)
    {
        using var h = new HelperHarness();
        var output = h.Zeroed(Math.Max(size, 1));
        var data = args.Length == 0 ? 0 : h.U64s(args);
        var r = h.CallSigned(HelperId.Snprintf, size == 0 ? 0 : output, (ulong)size, h.Text(format, latin1: true), data, (ulong)args.Length * 8);
        return (r, h.CString(output, Math.Max(size, 1)));
    }

    [Theory]
    [InlineData("%d|%i|%u", new ulong[] { unchecked((ulong)-5), 7, unchecked((ulong)-1) }, "-5|7|4294967295")]
    [InlineData("%x|%X", new ulong[] { 0xbeefUL, 0xbeefUL }, "beef|BEEF")]
    [InlineData("%ld|%lu|%lx", new ulong[] { ulong.MaxValue, ulong.MaxValue, 0x1234_5678_9abcUL }, "-1|18446744073709551615|123456789abc")]
    [InlineData("%lld|%llu|%llx", new ulong[] { 0x8000_0000_0000_0000UL, 42, 0xffUL }, "-9223372036854775808|42|ff")]
    [InlineData("%d", new ulong[] { 0x1_0000_0005UL }, "5")]                  // %d reads 32 bits
    public void Integer_conversions_read_32_or_64_bits_as_the_length_modifier_says(string format, ulong[] args, string expected)
    {
        var (r, text) = Snprintf(format, args);
        Assert.Equal(expected, text);
        Assert.Equal(expected.Length + 1, r);
    }

    [Theory] // number(): spaces before the sign, zeros after it, '-' wins over '0', '+' and ' ' only for signed
    [InlineData("[%5d]", 42UL, "[   42]")]
    [InlineData("[%-5d]", 42UL, "[42   ]")]
    [InlineData("[%05d]", unchecked((ulong)-42), "[-0042]")]
    [InlineData("[%+d]", 42UL, "[+42]")]
    [InlineData("[% d]", 42UL, "[ 42]")]
    [InlineData("[%-05d]", 42UL, "[42   ]")]
    [InlineData("[%+u]", 42UL, "[42]")]
    [InlineData("[%08x]", 0xabUL, "[000000ab]")]
    [InlineData("[%2x]", 0x12345UL, "[12345]")]
    public void Flags_and_widths_pad_like_the_kernels_number(string format, ulong arg, string expected) =>
        Assert.Equal(expected, Snprintf(format, arg).Text);

    [Fact]
    public void Chars_pad_with_spaces_only_and_a_nul_char_is_written() // bstr_printf FORMAT_TYPE_CHAR
    {
        Assert.Equal("[  b][c  ][  d]", Snprintf("[%3c][%-3c][%03c]", 'b', 'c', 'd').Text);
        using var h = new HelperHarness();
        var output = h.Zeroed(8);
        Assert.Equal(4, h.CallSigned(HelperId.Snprintf, output, 8, h.Text("a%cb"), h.U64s(0), 8));
        Assert.Equal("a\0b\0"u8.ToArray(), h.Bytes(output, 4).ToArray());
    }

    [Fact]
    public void Strings_are_copied_and_padded_and_a_bad_pointer_prints_nothing()
    {
        using var h = new HelperHarness();
        var hi = h.Text("hi");
        var output = h.Zeroed(64);
        var r = h.CallSigned(HelperId.Snprintf, output, 64, h.Text("[%s][%5s][%-5s][%s][%s]"), h.U64s(hi, hi, hi, 0, 16), 40);
        Assert.Equal("[hi][   hi][hi   ][][]", h.CString(output, 64));
        Assert.Equal(23, r);
    }

    [Fact]
    public void Ip_addresses_print_in_the_four_kernel_forms() // ip4_string, ip6_string
    {
        using var h = new HelperHarness();
        var ip4 = h.Alloc([192, 168, 1, 20]);
        var ip6 = h.Alloc([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x0a, 0xbc]);
        var output = h.Zeroed(128);
        h.Call(HelperId.Snprintf, output, 128, h.Text("%pI4 %pi4 %pI6 %pi6c!"), h.U64s(ip4, ip4, ip6, ip6), 32);
        Assert.Equal("192.168.1.20 192.168.001.020 2001:0db8:0000:0000:0000:0000:0001:0abc 20010db8000000000000000000010abc!",
            h.CString(output, 128));
    }

    [Fact]
    public void Pointers_print_raw_with_px_hashed_with_p_and_pK_and_as_symbols_with_ps()
    {
        Assert.Equal("0000000000001234|      ab|0x1234|0x1234", Snprintf("%px|%8px|%ps|%pS", 0x1234, 0xab, 0x1234, 0x1234).Text);
        Assert.Equal("0000000000000000|0000000000000000|   0", Snprintf("%p|%pK|%4p", 0, 0, 0).Text);
        // ptr_to_id: 32 bits of a keyed hash, zero-extended to 16 digits; the same pointer hashes the same.
        var hashed = Snprintf("%p %p %pK", 0xffff_8880_1234_5678, 0xffff_8880_1234_5678, 0xffff_8880_1234_5678).Text.Split(' ');
        Assert.Matches("^00000000[0-9a-f]{8}$", hashed[0]);
        Assert.Equal(hashed[0], hashed[1]);
        Assert.Equal(hashed[0], hashed[2]);
    }

    [Fact]
    public void Letters_after_a_pointer_conversion_belong_to_it() // bstr_printf skips isalnum() after %p
    {
        Assert.Equal("0000000000000010.0000000000000000!", Snprintf("%pxyz.%pK9!", 0x10, 0).Text);
    }

    [Fact]
    public void The_return_counts_the_whole_output_and_its_nul_however_small_the_buffer()
    {
        Assert.Equal((10L, "123456-"), SnprintfSized(8, "%d-%d", 123456, 42));
        Assert.Equal(6, SnprintfSized(1, "%d", 12345).Returned);
        Assert.Equal(6, SnprintfSized(0, "%d", 12345).Returned);
    }

    [Fact]
    public void A_pre_formatted_pointer_is_skipped_entirely_once_the_buffer_is_full()
    {
        // The kernel's bstr_printf neither copies nor steps over the formatted %pI4 when there is no room, so the
        // %d after it reads the text "192." as an int (775043377).
        using var h = new HelperHarness();
        var output = h.Zeroed(2);
        var r = h.CallSigned(HelperId.Snprintf, output, 2, h.Text("%d%pI4 %d"), h.U64s(12, h.Alloc([192, 168, 1, 20]), 99), 24);
        Assert.Equal(13, r);
    }

    [Theory] // bpf_bprintf_prepare refuses these
    [InlineData("%5.2d")]
    [InlineData("%#x")]
    [InlineData("%n")]
    [InlineData("%hd")]
    [InlineData("%f")]
    [InlineData("%lc")]
    [InlineData("%*d")]
    [InlineData("%5%")]
    [InlineData("abc%")]
    [InlineData("%d %d")]
    [InlineData("%sx")]
    [InlineData("%pz")]
    [InlineData("%pI5")]
    [InlineData("a\u0001%d")]
    [InlineData("% %")]
    public void Formats_the_kernel_refuses_are_EINVAL(string format) => Assert.Equal(EINVAL, Snprintf(format, 1).Returned);

    [Theory]
    [InlineData("caf\u00e9 %d", 7)]       // bytes from 0x80 up pass (Linux 6.18), so UTF-8 text prints
    [InlineData("\u0080\u009f %d", 5)]
    [InlineData("100%% %d%%", 8)]
    public void Formats_the_kernel_accepts(string format, long returned) => Assert.Equal(returned, Snprintf(format, 1).Returned);

    [Fact]
    public void Arguments_that_do_not_fit_the_512_byte_buffer_are_ENOSPC()
    {
        using var h = new HelperHarness();
        var text = h.Text(new string('x', 216));
        var output = h.Zeroed(8);
        // Two strings take 434 bytes, the third is cut to the 78 left, and then nothing fits.
        Assert.Equal(510, h.CallSigned(HelperId.Snprintf, output, 8, h.Text("%s%s%s"), h.U64s(text, text, text), 24));
        Assert.Equal(ENOSPC, h.CallSigned(HelperId.Snprintf, output, 8, h.Text("%s%s%s%d"), h.U64s(text, text, text, 5), 32));
    }

    [Fact]
    public void The_argument_array_must_be_whole_u64s_at_most_twelve_and_not_null()
    {
        using var h = new HelperHarness();
        var output = h.Zeroed(8);
        var fmt = h.Text("%d");
        var args = h.U64s(new ulong[13]);
        Assert.Equal(EINVAL, h.CallSigned(HelperId.Snprintf, output, 8, fmt, args, 12));
        Assert.Equal(EINVAL, h.CallSigned(HelperId.Snprintf, output, 8, fmt, args, 104));
        Assert.Equal(EINVAL, h.CallSigned(HelperId.Snprintf, output, 8, fmt, 0, 8));
        Assert.Equal(2, h.CallSigned(HelperId.Snprintf, output, 8, fmt, args, 96));
    }

    [Fact]
    public void Trace_printk_writes_a_line_with_the_task_cpu_and_time_and_returns_its_length()
    {
        using var h = new HelperHarness();
        h.Invocation.Task = new TaskIdentity(1234, 1200, 0, 0, "worker");
        h.Invocation.Slot = 3;
        var before = TimeHelpers.MonotonicNanoseconds();
        var fmt = h.Text("hello %d %s\n");
        Assert.Equal(12, h.CallSigned(HelperId.TracePrintk, fmt, 13, 42, h.Text("hi")));
        var line = Assert.Single(h.Invocation.TracePipe.Drain());
        // The message is kept as formatted: trace_pipe prints it and then its own newline (an empty line follows).
        Assert.Equal(("worker", 1234, 3, "hello 42 hi\n"), (line.Comm, line.Pid, line.Cpu, line.Message));
        Assert.InRange(line.TimestampNs, before, TimeHelpers.MonotonicNanoseconds());
        Assert.StartsWith("          worker-1234    [003]", line.ToString());
    }

    [Fact]
    public void Trace_printk_offers_exactly_three_arguments_and_needs_the_nul_within_fmt_size()
    {
        using var h = new HelperHarness();
        Assert.Equal(EINVAL, h.CallSigned(HelperId.TracePrintk, h.Text("%d %d %d %d"), 12, 1, 2, 3));
        Assert.Equal(EINVAL, h.CallSigned(HelperId.TracePrintk, h.Text("hello world"), 5));
        Assert.Equal(5, h.CallSigned(HelperId.TracePrintk, h.Text("%d %d %d"), 9, 1, 2, 3));
        Assert.Single(h.Invocation.TracePipe.Drain());
    }

    [Fact]
    public void A_trace_line_ends_at_a_nul_char_and_at_1023_bytes_while_the_return_counts_everything()
    {
        using var h = new HelperHarness();
        Assert.Equal(3, h.CallSigned(HelperId.TracePrintk, h.Text("a%cb"), 5, 0));
        Assert.Equal(1100, h.CallSigned(HelperId.TraceVprintk, h.Text("%1000d%100d"), 12, h.U64s(1, 2), 16));
        var lines = h.Invocation.TracePipe.Drain();
        Assert.Equal("a", lines[0].Message);
        Assert.Equal(1023, lines[1].Message.Length);
    }

    [Fact]
    public void Trace_vprintk_takes_up_to_twelve_arguments_from_an_array()
    {
        using var h = new HelperHarness();
        var args = h.U64s(1, 22, 333, 4444, 5);
        Assert.Equal(15, h.CallSigned(HelperId.TraceVprintk, h.Text("%d %d %d %d %d"), 15, args, 40));
        Assert.Equal("1 22 333 4444 5", Assert.Single(h.Invocation.TracePipe.Drain()).Message);
        Assert.Equal(EINVAL, h.CallSigned(HelperId.TraceVprintk, h.Text("%d"), 3, 0, 0));
    }

    [Fact]
    public void An_objects_programs_print_to_its_trace_pipe()
    {
        using var obj = BpfObject.Load(Fixtures.PathOf("helpers/printf.o"));
        var result = obj.Programs["trace_line"].Run(new RunOptions { Data = new byte[64], Cpu = 0 });
        Assert.Equal(12u, result.ReturnValue);
        var line = Assert.Single(obj.TracePipe.Drain());
        Assert.Equal(("hello 42 hi\n", 0), (line.Message, line.Cpu));
    }

    [Fact]
    public void A_bad_format_pointer_stops_the_program()
    {
        using var h = new HelperHarness();
        Assert.Throws<MemoryFaultException>(() => h.Call(HelperId.TracePrintk, 16, 4));
        Assert.Throws<BpfRuntimeException>(() => h.Call(HelperId.Snprintf, 0, 0, 16, 0, 0));
    }
}
