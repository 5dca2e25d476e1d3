using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>Helpers whose answers need no packet (tests/fixtures/helpers): the printf rules through
/// <c>bpf_snprintf</c> and <c>bpf_trace_vprintk</c>, string parsing, probe reads, and what a program learns about
/// where it runs (checked as properties, since the kernel's answers depend on the task and the clocks).</summary>
public partial class KernelFixtureTests
{
    const int PrintfOut = 80;   // sizeof(out) in printf.c

    const string LongText = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>A printf case: the program's return (bpf_snprintf's) and the 80-byte buffer after it.</summary>
    static ScenarioStep[] Printed(string program, long returns, string text) =>
        [Run(program, Result(returns)), Dump(".bss", Entry(U32(0), Text(text, PrintfOut)))];

    public static readonly KernelScenario Printf = Scenario("helpers/printf.o",
        "bpf_snprintf: conversions, flags and widths, %p extensions, truncation (the return counts the whole output " +
        "and its NUL), argument packing limits; bad formats through bpf_trace_vprintk; trace_printk's return",
        [
            .. Printed("ints", 27, "-42 7 4294967295 beef BEEF"),
            .. Printed("longs", 96, "-1 18446744073709551615 ffffffffffffffff -9223372036854775808 18446744073709551"),
            .. Printed("int_truncated", 22, "5 4294967294 cdef0123"),
            .. Printed("widths", 40, "[   42][42   ][00042][+42][ 42][-42   ]"),
            .. Printed("zero_pad", 32, "[-0042][+0042][ 0042][42   ][7]"),
            .. Printed("hex_widths", 41, "[      ab][AB      ][000000ab][12345][0]"),
            .. Printed("chars", 20, "[a][  b][c  ][  d]!"),
            .. Printed("char_nul", 4, "a\0b"),
            .. Printed("strings", 39, "[hi][      hi][hi      ][hi][      hi]"),
            .. Printed("string_null", 5, "[][]"),
            .. Printed("percent", 11, "100% done%"),
            .. Printed("percent_arg", 4, "%5%"),
            .. Printed("ip4s", 29, "192.168.1.20 192.168.001.020"),
            .. Printed("ip6_colons", 40, "2001:0db8:0000:0000:0000:0000:0001:0abc"),
            .. Printed("ip6_plain", 33, "20010db8000000000000000000010abc"),
            .. Printed("ip_null", 41, "0.0.0.0|00000000000000000000000000000000"),
            .. Printed("ip6_suffix", 41, "2001:0db8:0000:0000:0000:0000:0001:0abc!"),
            .. Printed("ptr_raw", 48, "0000000000001234|      ab|cd                  |"),
            .. Printed("ptr_null", 61, "0000000000000000|0000000000000000|                   0|0   |"),
            .. Printed("ptr_suffix", 35, "0000000000000010.0000000000000000!"),
            .. Printed("symbols", 28, "0x1234|0x1234|      0x1234|"),
            .. Printed("backtrace", 7, "0x1234"),
            .. Printed("kernel_strings", 9, "[hi][hi]"),
            .. Printed("truncated", 10, "123456-"),
            .. Printed("truncated_ip", 16, "192"),
            // Once the buffer is full the kernel neither copies nor steps over a pre-formatted %pI4, so the %d after
            // it reads "192." as an int (775043377): "12" + " 775043377" and the NUL.
            .. Printed("truncated_before_ip", 13, "1"),
            .. Printed("size_one", 6, ""),
            .. Printed("mixed", 19, "hi=-5 (x) 1000000%"),
            .. Printed("many", 16, "123456789101112"),
            .. Printed("long_strings", 510, (LongText + LongText)[..(PrintfOut - 1)]),
            .. Printed("no_room", -28, ""),
            .. Printed("length_only", 13, ""),
            Run("bad_precision", Result(-22)), Run("bad_hash", Result(-22)), Run("bad_n", Result(-22)),
            Run("bad_short", Result(-22)), Run("bad_float", Result(-22)), Run("bad_long_char", Result(-22)),
            Run("bad_star", Result(-22)), Run("bad_percent_width", Result(-22)), Run("bad_trailing", Result(-22)),
            Run("bad_too_few", Result(-22)), Run("bad_string_suffix", Result(-22)), Run("bad_pointer_kind", Result(-22)),
            Run("bad_ip_kind", Result(-22)), Run("bad_control", Result(-22)), Run("bad_space_flag_percent", Result(-22)),
            Run("bad_no_args", Result(-22)), Run("bad_data_len", Result(-22)), Run("bad_too_many", Result(-22)),
            Run("utf8", 7), Run("high_controls", 4),
            Run("trace_line", 12), Run("trace_four", Result(-22)), Run("trace_no_nul", Result(-22)), Run("trace_vline", 16),
            Run("trace_nul_char", 3), Run("trace_long", 1100),
        ]);

    [FactRequires(Requirement.Kernel)]
    public void Printf_helpers_format_like_the_kernel() => Verify(Printf);

    /// <summary>A strtol/strtoul case: the characters consumed (or -errno) and the value written through res.</summary>
    static ScenarioStep[] Parsed(string program, long returns, long value) =>
        [Run(program, Result(returns)), Dump(".bss", Entry(U32(0), S64(value)))];

    /// <summary>An Ethernet frame of 64 bytes carrying an IPv4 header 192.168.1.10 → 192.168.1.20 (TCP).</summary>
    const string Ipv4Sockets = "000000000000000000000000080045000032123440004006000" + "0c0a8010ac0a80114" +
        "000000000000000000000000000000000000000000000000000000000000";

    public static readonly KernelScenario Sockets = Scenario("helpers/sockets.o",
        "socket lookups of the test run's zero tuple find nothing: bpf_sk_lookup_tcp (IPv4) and bpf_skc_lookup_tcp (IPv6) " +
        "return NULL, so the programs take their NULL branches; skb->sk is the test run's socket, a full one, closed, " +
        "neither TCP nor listening, with the family and addresses of the frame's IP header (none for a zero frame)",
        Run("lookup_tcp", 7), Run("lookup_common", 9),
        Run("skb_socket", 0), Dump(".bss", Entry(U32(0), U32(0, 0, 0, 7, 0xffffffff, 0, 0, 0))),
        RunOn("skb_socket", 0, Ipv4Sockets), Dump(".bss", Entry(U32(0), U32(2, 167880896, 335653056, 7, 0xffffffff, 0, 0, 0))),
        RunOn("filter_family", 2, Ipv4Sockets));

    [FactRequires(Requirement.Kernel)]
    public void Socket_lookups_find_no_socket_for_a_tuple_no_socket_has() => Verify(Sockets);

    public static readonly KernelScenario Cookies = Scenario("helpers/cookies.o",
        "bpf_get_socket_cookie gives the test run's socket a cookie, not 0, the same on a second call, new each run " +
        "(bits 0, 1 and 2 of the result); bpf_get_netns_cookie gives the initial namespace's, 3 here, for the skb and NULL",
        Run("tc_cookies", 7), Run("tc_cookies", 7), Dump(".bss", Entry(U32(0), U64(3, 3))),
        Run("filter_cookies", 7), Run("filter_cookies", 7));

    [FactRequires(Requirement.Kernel)]
    public void Cookies_name_a_new_socket_per_run_and_the_initial_namespace() => Verify(Cookies);

    public static readonly KernelScenario Stacks = Scenario("helpers/stacks.o",
        "bpf_get_stackid with a stack trace map and bpf_get_stack from raw tracepoints load (their test runs take ctx_in " +
        "alone, which bpftool cannot give: StackHelperTests asks the kernel through bpf())");

    /// <summary>timer.c's <c>struct elem</c>: runs, the key and map (1 timers, 2 hashed) the callback got, its own
    /// bpf_timer_cancel's return, and the 16 bytes of the timer, which the host always reads as zeros.</summary>
    static string Elem(ulong fired, uint key, uint map, long cancel) => U64(fired) + U32(key, map) + S64(cancel) + U64(0, 0);

    static DumpMap Results(params long[] results) => Dump(".bss", Entry(U32(0), S64(results)));

    public static readonly KernelScenario Timers = Scenario("helpers/timer.o",
        "bpf_timer_*: -EINVAL for a bad clock or flags, for an uninitialised timer and for a start before set_callback " +
        "(cancel drops the callback), -EBUSY on a second init, cancel's 1 then 0; callbacks get the map, key and value, " +
        "-EDEADLK cancelling their own timer, may re-arm it; deleting or overwriting an element frees its timer",
        Run("init_errors", 0), Results(-22, -22, -22, -22, -22, -22, 0, -16, 0),
        Run("start_errors", 0), Results(-22, -22, 0, 1, 0, -22, 0, 0, 0),
        Run("arm_array", 0),
        Run("arm_hashed", 0), Results(0, 0, 0, 1, 0, -22, 0, 0, 0),
        Run("delete_hashed", 0),
        Run("overwrite_armed", 0), Results(0, 0, -22, 0, -22, -22, 0, 0, 0),
        WaitMs(700),
        Dump("timers", Entry(U32(0), Elem(0, 0, 0, 0)), Entry(U32(1), Elem(1, 1, 1, -35)), Entry(U32(2), Elem(3, 2, 1, -35)),
            Entry(U32(3), Elem(0, 0, 0, 0))),
        Dump("hashed", Entry(U32(6), Elem(1, 6, 2, -35))),
        Results(0, 0, -22, 0, -22, -22, 0, 0, 1));

    [FactRequires(Requirement.Kernel)]
    public void Timers_fire_after_the_run_with_the_kernels_errors() => Verify(Timers);

    public static readonly KernelScenario Mtu = Scenario("helpers/mtu.o",
        "bpf_check_mtu on the test run's loopback device (MTU 65536 + 14): a 64-byte packet fits, grown by 65487 it needs " +
        "fragmenting, an unknown ifindex is -ENODEV; from XDP too, with an L3 length given in mtu_len",
        Run("fits_tc", 65536), Run("grown_tc", 1065536), Run("other_device_tc", 4275967296), Run("fits_xdp", 65536),
        Run("grown_xdp", 1065536), Run("given_l3_xdp", 65536));

    [FactRequires(Requirement.Kernel)]
    public void Check_mtu_answers_for_the_loopback_device() => Verify(Mtu);

    public static readonly KernelScenario Tunnel = Scenario("helpers/tunnel.o",
        "bpf_skb_set/get_tunnel_key: no tunnel before a set (EINVAL); get reads the set's local address as remote and back; " +
        "tunnel flags big-endian; wrong family EPROTO; bad size, flag or an IPv4 label EINVAL; IPv6 labels masked to 20 bits. " +
        "Tunnel options: EINVAL without a key or for sizes not a multiple of 4, ENOENT before any, ENOMEM into a smaller " +
        "buffer, cleared by a new key, flagged in the key's flags",
        Run("tunnel", 0), Run("options", 0),
        Dump(".bss", Entry(U32(0),
            "2a0000000200000a00000000000000000000000003400000000000000100000a000000000000000000000000" +
            "2a0000000200000a0000000000000000000000000340210c000000000100000a000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
            "2a0000000200000a0000000000000000020000000340000056340200b80d0120000000000000000001000000" +
            "eaffffffffffffff0000000000000000000000000000000000000000000000000000000000000000b9ffffff" +
            "ffffffffeaffffffffffffffeaffffffffffffffeaffffffffffffff00000000000000000000000000000000" +
            "b9ffffffffffffffeafffffffffffffffeffffffffffffff0000000000000000feffffffffffffffeaffffff" +
            "ffffffff00000000000000000800000000000000f4ffffffffffffff00000000000000000000000000000000" +
            "feffffffffffffff010203040506070800000000000000000000000000000000000000000000000007000000" +
            "000000000000000000000000000000000000f8050000000000000000000000000000000000000000")));

    [FactRequires(Requirement.Kernel)]
    public void Tunnel_keys_are_set_and_read_back_as_the_kernel_does() => Verify(Tunnel);

    public static readonly KernelScenario Strings = Scenario("helpers/strings.o",
        "bpf_strtol/bpf_strtoul: blanks, sign, base prefixes, 63-character limit, overflow; bpf_strncmp's -1/0/1",
        [
            .. Parsed("l_decimal", 3, 123),
            .. Parsed("l_blanks_sign_rest", 5, -42),
            .. Parsed("l_auto_hex", 4, 31),
            .. Parsed("l_hex_prefix", 4, 26),
            .. Parsed("l_hex_bare", 2, 255),
            .. Parsed("l_prefix_only_hex", -22, 0),
            .. Parsed("l_prefix_only_auto", 1, 0),
            .. Parsed("l_auto_octal", 3, 15),
            .. Parsed("l_octal_stops", 2, 1),
            .. Parsed("l_octal_explicit", 3, 511),
            .. Parsed("l_no_digits", -22, 0),
            .. Parsed("l_plus", -22, 0),
            .. Parsed("l_sign_only", -22, 0),
            .. Parsed("l_blanks_only", -22, 0),
            .. Parsed("l_max", 19, long.MaxValue),
            .. Parsed("l_past_max", -34, 0),
            .. Parsed("l_min", 20, long.MinValue),
            .. Parsed("l_past_min", -34, 0),
            .. Parsed("l_overflow", -34, 0),
            .. Parsed("l_minus_zero", 2, 0),
            .. Parsed("l_negative_hex", 5, -16),
            .. Parsed("l_whitespace", 7, 7),
            .. Parsed("l_latin1_space", 2, 5),
            .. Parsed("l_short_len", 3, 123),
            .. Parsed("l_embedded_nul", 2, 12),
            .. Parsed("l_63_digits", 63, 0),
            .. Parsed("l_base_2", -22, 0),
            .. Parsed("l_base_12", -22, 0),
            .. Parsed("l_extra_flags", -22, 0),
            .. Parsed("ul_decimal", 10, 4_000_000_000),
            .. Parsed("ul_max", 20, -1),
            .. Parsed("ul_overflow", -34, 0),
            .. Parsed("ul_hex_max", 18, -1),
            .. Parsed("ul_negative", -22, 0),
            .. Parsed("ul_minus_zero", -22, 0),
            .. Parsed("ul_blanks", 4, 99),
            Run("cmp_less", Result(-1)), Run("cmp_greater", 1), Run("cmp_equal", 0), Run("cmp_prefix", 0),
            Run("cmp_nul_stops", 0), Run("cmp_longer_s1", 1), Run("cmp_unsigned", 1), Run("cmp_empty_s2", 1),
        ]);

    [FactRequires(Requirement.Kernel)]
    public void String_helpers_parse_and_compare_like_the_kernel() => Verify(Strings);

    /// <summary>A probe-read case: the helper's result and the 16-byte destination (pre-filled with 0xaa).</summary>
    static ScenarioStep[] Probed(string program, long returns, params byte[] got) =>
        [Run(program, Result(returns)), Dump(".bss", Entry(U32(0), Bytes([.. got, .. Enumerable.Repeat((byte)0xaa, 16 - got.Length)])))];

    public static readonly KernelScenario Probe = Scenario("helpers/probe.o",
        "bpf_probe_read_{kernel,user}[_str]: a bad source zeroes the destination and fails, -ERANGE for a user-half " +
        "address read as kernel memory, -EFAULT otherwise; strings stop after the NUL or are cut to fit",
        [
            .. Probed("kernel_low", -34, new byte[8]),
            .. Probed("user_low", -14, new byte[8]),
            .. Probed("user_kernel_half", -14, new byte[8]),
            .. Probed("kernel_str_low", -34, new byte[8]),
            .. Probed("user_str_low", -14, new byte[8]),
            .. Probed("kernel_empty_low", -34),
            .. Probed("user_empty_low", 0),
            .. Probed("kernel_str_empty", 0),
            .. Probed("kernel_global", 0, [.. "hello"u8, 0, 0, 0]),
            .. Probed("kernel_stack", 0, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01),
            .. Probed("kernel_str", 6, [.. "hello"u8, 0]),
            .. Probed("kernel_str_truncated", 4, [.. "hel"u8, 0]),
            .. Probed("kernel_str_exact", 6, [.. "hello"u8, 0]),
        ]);

    [FactRequires(Requirement.Kernel)]
    public void Probe_reads_fail_softly_like_the_kernel() => Verify(Probe);

    public static readonly KernelScenario CurrentTask = Scenario("helpers/task.o",
        "the current task, CPU and clocks, as properties: comm is NUL-padded, pid and tgid are non-zero, CPU 0 and " +
        "NUMA node 0, boot time >= monotonic >= coarse (within a few ticks), jiffies past INITIAL_JIFFIES",
        Run("comm", 7), Run("comm_short", 7), Run("pid_tgid", 3), Run("cpu", 0), Run("clocks", 31), Run("random", 1));

    [FactRequires(Requirement.Kernel)]
    public void Task_and_clock_helpers_answer_with_the_kernels_shape() => Verify(CurrentTask);

    public static readonly KernelScenario PidNamespaceMismatch = Scenario("helpers/pidns.o",
        "bpf_get_ns_current_pid_tgid named by dev 0 and ino 0 (the globals' zeros), a namespace no task is in: -EINVAL " +
        "and the buffer zeroed, whatever the machine (NsPidTgidTests runs the matching namespace)",
        Run("in_namespace", 0), Run("other_namespace", 3), Run("wide_device", 3), Run("short_buffer", 7));

    [FactRequires(Requirement.Kernel)]
    public void The_pid_namespace_helper_refuses_a_namespace_no_task_is_in() => Verify(PidNamespaceMismatch);

    public static readonly KernelScenario CastToKernCtx = Scenario("helpers/cast_to_kern_ctx.o",
        "bpf_cast_to_kern_ctx from tc and XDP: a trusted pointer to the kernel's context struct, never NULL",
        Run("from_tc", 7), Run("from_xdp", 2));

    [FactRequires(Requirement.Kernel)]
    public void Cast_to_kern_ctx_gives_a_pointer_that_is_never_null() => Verify(CastToKernCtx);
}
