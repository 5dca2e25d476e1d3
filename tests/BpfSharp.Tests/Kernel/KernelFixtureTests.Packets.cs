using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>Helpers that read, write and reshape packets (tests/fixtures/helpers): checksums on a real IPv4/TCP packet,
/// skb loads and stores from tc and socket filters, XDP head/tail/metadata moves, and redirect verdicts.</summary>
public partial class KernelFixtureTests
{
    /// <summary>00 01 02 … 3f, the packet of the skb and XDP scenarios.</summary>
    static readonly byte[] Counting = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    static string Hex(params byte[][] parts) => Convert.ToHexStringLower(parts.SelectMany(p => p).ToArray());

    /// <summary>Ethernet, IPv4 192.168.1.10 → 192.168.1.20 (checksum at 24), TCP 12345 → 80 SYN (checksum at 50),
    /// payload ff ff 00 00 "hello!": 64 bytes with valid checksums.</summary>
    const string TcpPacket = "020000000002020000000001080045000032123440004006a523c0a8010ac0a80114" +
        "3039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21";

    static RunProgram OnTcp(string program, long returns, string? dataOut = null) =>
        RunOn(program, Result(returns), TcpPacket) with { DataOut = dataOut ?? TcpPacket };

    public static readonly KernelScenario Csum = Scenario("helpers/csum.o",
        "l3/l4_csum_replace (sizes 2, 4 and a bpf_csum_diff difference, MARK_MANGLED_0) keep an IPv4/TCP packet's " +
        "checksums valid; bpf_csum_diff's 16-bit folded sum; offsets and flags the kernel refuses; csum_update ENOTSUPP",
        OnTcp("snat", 0, "0200000000020200000000010800450000321234400040065c730a000063c0a80114" +
            "3039005000000001000000005002ffff6f3c0000ffff000068656c6c6f21"),
        OnTcp("dnat_port", 0, "020000000002020000000001080045000032123440004006a523c0a8010ac0a80114" +
            "30391f9000000001000000005002ffff98ac0000ffff000068656c6c6f21"),
        OnTcp("ttl", 0, "020000000002020000000001080045000032123440003f06a623c0a8010ac0a80114" +
            "3039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21"),
        OnTcp("dnat_by_diff", 0x54ea, "020000000002020000000001080045000032123440004006bacec0a8010aac100001" +
            "3039005000000001000000005002ffffcd970000ffff000068656c6c6f21"),
        OnTcp("diff_push", 0x2389), OnTcp("diff_pull", 0xfbf9), OnTcp("diff_seed_only", 0x9acf), OnTcp("diff_all_zero", 0),
        OnTcp("diff_same", 0xffff),
        OnTcp("diff_forty", 0xe8ee), OnTcp("diff_large", 0x9a87), OnTcp("diff_six_bytes", 0xc2d3), OnTcp("diff_516_bytes", 0x3fc0),
        OnTcp("mangled_zero_kept", 0),
        OnTcp("mangled_zero_enforced", 0, TcpPacket[..^20] + "ffffcbed68656c6c6f21"),
        OnTcp("mangled_result", 0),
        OnTcp("zero_result", 0, TcpPacket[..^20] + "0000000068656c6c6f21"),
        OnTcp("l3_size2_zero_result", 0, TcpPacket[..^20] + "0000000068656c6c6f21"),
        OnTcp("l4_ipv6_flag", 0, TcpPacket.Replace("ffffb7ec", "ffffb6ec")),
        OnTcp("l3_odd_offset", -14), OnTcp("l3_last_field", 0, TcpPacket[..^4] + "6e21"), OnTcp("l3_past_end", -14),
        OnTcp("l3_huge_offset", -14), OnTcp("l3_bad_flags", -22), OnTcp("l3_size3", -22), OnTcp("l3_diff_with_from", -22),
        OnTcp("l4_bad_flags", -22), OnTcp("l4_odd_offset", -14), OnTcp("update", -524));

    [FactRequires(Requirement.Kernel)]
    public void Checksum_helpers_rewrite_and_diff_like_the_kernel() => Verify(Csum);

    static RunProgram OnCounting(string program, long returns, byte[]? dataOut = null) =>
        RunOn(program, Result(returns), Hex(Counting)) with { DataOut = Hex(dataOut ?? Counting) };

    /// <summary>A load: its result and the 16-byte `got` (pre-filled with 0xaa).</summary>
    static ScenarioStep[] Loaded(string program, long returns, byte[] got, byte[]? dataOut = null) =>
        [OnCounting(program, returns, dataOut), Dump(".bss", Entry(U32(0), Hex(got, Enumerable.Repeat((byte)0xaa, 16 - got.Length).ToArray())))];

    /// <summary>What a socket filter's data_out shows: the kernel pushes back a zeroed Ethernet header.</summary>
    static readonly byte[] CountingAfterSocket = [.. new byte[14], .. Counting[14..]];

    public static readonly KernelScenario Skb = Scenario("helpers/skb.o",
        "bpf_skb_load_bytes[_relative] and bpf_skb_store_bytes: offsets from skb->data (MAC header for tc, network " +
        "header for socket filters) or from the named header; -EFAULT with the buffer zeroed past the end",
        [
            .. Loaded("load_head", 0, Counting[..14]),
            .. Loaded("load_tail", 0, Counting[56..]),
            .. Loaded("load_past_end", -14, new byte[8]),
            .. Loaded("load_huge_offset", -14, new byte[4]),
            .. Loaded("load_net_relative", 0, Counting[16..20]),
            .. Loaded("load_mac_relative", 0, Counting[6..12]),
            .. Loaded("load_relative_past_end", -14, new byte[4]),
            .. Loaded("load_relative_bad_header", -14, new byte[4]),
            .. Loaded("load_relative_huge_offset", -14, new byte[4]),
            .. Loaded("sock_load", 0, Counting[14..18], CountingAfterSocket),
            .. Loaded("sock_load_mac_relative", 0, Counting[..4], CountingAfterSocket),
            .. Loaded("sock_load_past_end", -14, new byte[4], CountingAfterSocket),
            OnCounting("sock_len", 50, CountingAfterSocket),
            OnCounting("store", 0, [.. Counting[..2], .. "XYZ"u8, .. Counting[5..]]),
            OnCounting("store_last", 0, [.. Counting[..60], .. "END!"u8]),
            OnCounting("store_past_end", -14),
            OnCounting("store_bad_flags", -22),
            OnCounting("store_then_read", 64 << 8 | 0x7e, [.. Counting[..2], 0x7e, .. Counting[3..]]),
        ]);

    [FactRequires(Requirement.Kernel)]
    public void Skb_load_and_store_helpers_address_the_packet_like_the_kernel() => Verify(Skb);

    static RunProgram Resized(string program, long returns, params byte[][] dataOut) =>
        OnCounting(program, returns, dataOut.Length == 0 ? Counting : dataOut.SelectMany(p => p).ToArray());

    public static readonly KernelScenario SkbResize = Scenario("helpers/skb_resize.o",
        "bpf_skb_change_tail/head from tc: flags 0 only, at most 16064 bytes (SKB_MAX_ALLOC), the tail never before the " +
        "network header, new bytes zeroed, len/data/data_end reloaded; the MAC header moves with the head, the network header stays",
        Resized("tail_trim", 0, Counting[..50]), Resized("tail_trim_to_eth", 0, Counting[..14]), Resized("tail_trim_below_eth", -22),
        Resized("tail_trim_to_zero", -22), Resized("tail_same", 0), Resized("tail_grow", 0, Counting, Zeros(16)),
        Resized("tail_grow_4k", 0, Counting, Zeros(4096 - 64)), Resized("tail_grow_64k", -22), Resized("tail_grow_huge", -22),
        Resized("tail_flags", -22),
        Resized("head_push", 0, Zeros(4), Counting), Resized("head_push_zero", 0), Resized("head_push_big", 0, Zeros(1000), Counting),
        Resized("head_push_huge", -22), Resized("head_flags", -22),
        Resized("tail_len", 64 << 16 | 72, Counting, Zeros(8)), Resized("head_len", 64 << 16 | 72, Zeros(8), Counting),
        Resized("tail_write", 68, Counting, "TAIL"u8.ToArray()),
        Resized("head_write", 78, [0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0x88, 0xb5], Counting),
        Resized("trim_then_grow", 0, Counting[..20], Zeros(44)),
        Resized("head_then_headers", 0x0e0f_0001, Zeros(4), Counting));

    [FactRequires(Requirement.Kernel)]
    public void Skb_change_tail_and_head_resize_the_packet_like_the_kernel() => Verify(SkbResize);

    /// <summary>What an lwt_xmit program's data_out shows: a zeroed Ethernet header pushed back in front of the packet
    /// it saw from the network header, and after it that packet as the program left it.</summary>
    static RunProgram Lwt(string program, long returns, params byte[][] packet) =>
        RunOn(program, Result(returns), TcpPacket) with { DataOut = Hex([Zeros(14), .. packet.Length == 0 ? [TcpIp] : packet]) };

    static readonly byte[] TcpIp = Convert.FromHexString(TcpPacket)[14..];

    public static readonly KernelScenario LwtResize = Scenario("helpers/lwt_resize.o",
        "bpf_skb_change_tail/head from lwt_xmit, which sees the packet from its network header: the tail may go down to " +
        "nothing, the head pushes zeroed room (for an L2 header) that len, data and the packet start follow",
        Lwt("tail_trim", 0, TcpIp[..20]), Lwt("tail_trim_to_zero", 0, Zeros(0)), Lwt("tail_grow", 0, TcpIp, Zeros(30)),
        Lwt("tail_grow_past_max", -22), Lwt("head_push", 0, Zeros(4), TcpIp), Lwt("head_push_eth", 0, Zeros(14), TcpIp),
        Lwt("head_push_big", 0, Zeros(100), TcpIp), Lwt("head_flags", -22),
        Lwt("tail_len", 50 << 16 | 30, TcpIp[..30]), Lwt("head_len", 50 << 16 | 64, Zeros(14), TcpIp),
        Lwt("head_write", 64, [0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0x08, 0x00], TcpIp),
        Lwt("head_then_load", 0x4500, Zeros(4), TcpIp));

    [FactRequires(Requirement.Kernel)]
    public void Skb_change_tail_and_head_resize_an_lwt_packet_like_the_kernel() => Verify(LwtResize);

    /// <summary>Frames for the VLAN helpers: one 802.1Q tag (VLAN 100) over IPv4; 802.1ad (VLAN 10) over 802.1Q (VLAN
    /// 100) over IPv4; a tagged frame cut after its TPID; a tag over an 802.3 length whose payload starts ffff.</summary>
    const string Tagged = "0200000000020200000000018100006408004500003212344000400600000a0000010a000002",
        QinQ = "02000000000202000000000188a8000a8100006408004500003212344000400600000a0000010a000002",
        ShortTagged = "0200000000020200000000018100",
        Raw8023 = "020000000002020000000001810000640005ffff";

    static RunProgram Vlan(string program, string packet, long returns, string? dataOut = null) =>
        RunOn(program, Result(returns), packet) with { DataOut = dataOut ?? packet };

    public static readonly KernelScenario SkbVlan = Scenario("helpers/skb_vlan.o",
        "bpf_skb_vlan_push/pop from tc: the outer tag in the skb's metadata, the ones under it in the packet after the " +
        "MAC addresses; skb->protocol, len and the packet follow; -ENOMEM for a tagged frame too short for its tag",
        Vlan("push_one", TcpPacket, 0x80123481),
        Vlan("push_ad", TcpPacket, 0x80000588),
        Vlan("push_other_protocol", TcpPacket, 0x80000581),
        Vlan("push_full_tci", TcpPacket, 0xffff0001),
        Vlan("push_two", TcpPacket, 0x80022288, "02000000000202000000000181000111080045000032123440004006a523c0a8010ac0a801143039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21"),
        Vlan("push_two_length", TcpPacket, 0x440081, "02000000000202000000000181000111080045000032123440004006a523c0a8010ac0a801143039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21"),
        Vlan("push_three", TcpPacket, 0x480081, "0200000000020200000000018100000281000001080045000032123440004006a523c0a8010ac0a801143039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21"),
        Vlan("pop", TcpPacket, 0x40000000),
        Vlan("pop_protocol", TcpPacket, 0x400008),
        Vlan("push_pop", TcpPacket, 0x0),
        Vlan("push_two_pop", TcpPacket, 0x80011181),
        Vlan("push_two_pop_two", TcpPacket, 0x40000000),
        Vlan("push_one", Tagged, 0x80123481),
        Vlan("push_ad", Tagged, 0x80000588),
        Vlan("push_other_protocol", Tagged, 0x80000581),
        Vlan("push_full_tci", Tagged, 0xffff0001),
        Vlan("push_two", Tagged, 0x80022288, "020000000002020000000001810001118100006408004500003212344000400600000a0000010a000002"),
        Vlan("push_two_length", Tagged, 0x2a0081, "020000000002020000000001810001118100006408004500003212344000400600000a0000010a000002"),
        Vlan("push_three", Tagged, 0x2e0081, "02000000000202000000000181000002810000018100006408004500003212344000400600000a0000010a000002"),
        Vlan("pop", Tagged, 0x22000000, "02000000000202000000000108004500003212344000400600000a0000010a000002"),
        Vlan("pop_protocol", Tagged, 0x220008, "02000000000202000000000108004500003212344000400600000a0000010a000002"),
        Vlan("push_pop", Tagged, 0x80006481, "02000000000202000000000108004500003212344000400600000a0000010a000002"),
        Vlan("push_two_pop", Tagged, 0x80011181),
        Vlan("push_two_pop_two", Tagged, 0xa2006481, "02000000000202000000000108004500003212344000400600000a0000010a000002"),
        Vlan("push_one", QinQ, 0x80123481),
        Vlan("push_ad", QinQ, 0x80000588),
        Vlan("push_other_protocol", QinQ, 0x80000581),
        Vlan("push_full_tci", QinQ, 0xffff0001),
        Vlan("push_two", QinQ, 0x80022288, "0200000000020200000000018100011188a8000a8100006408004500003212344000400600000a0000010a000002"),
        Vlan("push_two_length", QinQ, 0x2e0081, "0200000000020200000000018100011188a8000a8100006408004500003212344000400600000a0000010a000002"),
        Vlan("push_three", QinQ, 0x320081, "020000000002020000000001810000028100000188a8000a8100006408004500003212344000400600000a0000010a000002"),
        Vlan("pop", QinQ, 0xa2006481, "02000000000202000000000108004500003212344000400600000a0000010a000002"),
        Vlan("pop_protocol", QinQ, 0x220008, "02000000000202000000000108004500003212344000400600000a0000010a000002"),
        Vlan("push_pop", QinQ, 0x80000a88, "0200000000020200000000018100006408004500003212344000400600000a0000010a000002"),
        Vlan("push_two_pop", QinQ, 0x80011181),
        Vlan("push_two_pop_two", QinQ, 0xa6000a88, "0200000000020200000000018100006408004500003212344000400600000a0000010a000002"),
        Vlan("pop", ShortTagged, 0xfffffff4),
        Vlan("pop_protocol", ShortTagged, 0xfffffff4),
        Vlan("pop", Raw8023, 0x10000000, "0200000000020200000000010005ffff"),
        Vlan("pop_protocol", Raw8023, 0x100100, "0200000000020200000000010005ffff"));

    [FactRequires(Requirement.Kernel)]
    public void Skb_vlan_push_and_pop_move_tags_like_the_kernel() => Verify(SkbVlan);

    /// <summary>IPv6 (fd00::1 → fd00::2) over Ethernet with an 8-byte UDP header; IPv6 in IPv4 (protocol 41, 10.0.0.1 →
    /// 10.0.0.2) carrying that packet; an ARP request.</summary>
    const string Ipv6Packet = "02000000000202000000000186dd6000000000081140fd000000000000000000000000000001" +
            "fd000000000000000000000000000002303900350008" + "0000",
        SixInFour = "0200000000020200000000010800450000440000400040290000" + "0a0000010a000002" +
            "6000000000081140fd000000000000000000000000000001fd00000000000000000000000000000230390035000800" + "00",
        Arp = "ffffffffffff0200000000010806000108000604000102000000000" + "1c0a8010a000000000000c0a80114";

    /// <summary>The packet with <paramref name="diff"/> zero bytes inserted at <paramref name="at"/>, or -diff bytes
    /// removed from there.</summary>
    static string Room(string packet, int at, int diff)
    {
        var bytes = Convert.FromHexString(packet);
        return Hex(diff >= 0 ? [bytes[..at], Zeros(diff), bytes[at..]] : [bytes[..at], bytes[(at - diff)..]]);
    }

    static RunProgram Adjusted(string program, long returns, string packet, string? dataOut = null) =>
        RunOn(program, Result(returns), packet) with { DataOut = dataOut ?? packet };

    const long Enotsupp = -524, Einval = -22, Efault = -14, Enomem = -12, Ealready = -114, ProtocolIpv4 = 0x0008, ProtocolIpv6 = 0xdd86;

    /// <summary>TcpPacket with its IPv4 header copied in front of itself as an IPIP tunnel's outer header (protocol 4,
    /// total length 70).</summary>
    static string IpipPacket()
    {
        var bytes = Convert.FromHexString(Room(TcpPacket, 14, 20));
        bytes.AsSpan(34, 20).CopyTo(bytes.AsSpan(14));
        bytes[14 + 9] = 4;
        bytes[14 + 2] = 0;
        bytes[14 + 3] = 70;
        return Hex(bytes);
    }

    public static readonly KernelScenario SkbAdjustRoom = Scenario("helpers/skb_adjust_room.o",
        "bpf_skb_adjust_room from tc: zeroed room after the MAC header or the IP base header, removed from there down to " +
        "the base header, at most 0xfff bytes, IPv4/IPv6 only; encapsulation flags checked, -EALREADY the second time, " +
        "skb->protocol following the outer (or decapsulated) header; at most 16064 bytes; a GSO skb (gso_size from ctx_in) refused",
        Adjusted("net_grow", 0, TcpPacket, Room(TcpPacket, 34, 8)),
        Adjusted("mac_grow", 0, TcpPacket, Room(TcpPacket, 14, 8)),
        Adjusted("net_shrink", 0, TcpPacket, Room(TcpPacket, 34, -8)),
        Adjusted("mac_shrink", 0, TcpPacket, Room(TcpPacket, 14, -8)),
        Adjusted("grow_zero", 0, TcpPacket),
        Adjusted("shrink_to_base_header", 0, TcpPacket, Room(TcpPacket, 34, -30)),
        Adjusted("shrink_below_base_header", Enotsupp, TcpPacket),
        Adjusted("shrink_everything", Enotsupp, TcpPacket),
        Adjusted("grow_fff", 0, TcpPacket, Room(TcpPacket, 34, 0xfff)),
        Adjusted("grow_1000", Efault, TcpPacket),
        Adjusted("shrink_1000", Efault, TcpPacket),
        Adjusted("bad_mode", Enotsupp, TcpPacket),
        Adjusted("unknown_flag", Einval, TcpPacket),
        Adjusted("no_csum_reset", 0, TcpPacket, Room(TcpPacket, 34, 8)),
        Adjusted("fixed_gso", 0, TcpPacket, Room(TcpPacket, 34, 8)),
        Adjusted("encap_ipip", ProtocolIpv4, TcpPacket, Room(TcpPacket, 14, 20)),
        Adjusted("encap_ip6ip", ProtocolIpv6, TcpPacket, Room(TcpPacket, 14, 40)),
        Adjusted("encap_at_net", ProtocolIpv4, TcpPacket, Room(TcpPacket, 34, 20)),
        Adjusted("encap_both_l3", Einval, TcpPacket),
        Adjusted("encap_gre_and_udp", Einval, TcpPacket),
        Adjusted("encap_gre", 0, TcpPacket, Room(TcpPacket, 14, 24)),
        Adjusted("encap_udp", 0, TcpPacket, Room(TcpPacket, 14, 28)),
        Adjusted("encap_gre_without_l3", 0, TcpPacket, Room(TcpPacket, 14, 4)),
        Adjusted("encap_l2_eth", 0, TcpPacket, Room(TcpPacket, 14, 38)),
        Adjusted("encap_l2_eth_short", Einval, TcpPacket),
        Adjusted("encap_l2_past_room", Einval, TcpPacket),
        Adjusted("shrink_with_encap_flag", Einval, TcpPacket),
        Adjusted("decap_on_grow", Einval, TcpPacket),
        Adjusted("decap_ipv4", ProtocolIpv4, TcpPacket, Room(TcpPacket, 14, -20)),
        Adjusted("decap_ipv6", Enotsupp, TcpPacket),
        Adjusted("decap_both", Einval, TcpPacket),
        Adjusted("encap_twice", Ealready, TcpPacket, Room(TcpPacket, 14, 20)),
        Adjusted("grow_len", 64 << 16 | 76, TcpPacket, Room(TcpPacket, 34, 12)),
        Adjusted("shrink_len", 64 << 16 | 52, TcpPacket, Room(TcpPacket, 34, -12)),
        Adjusted("ipip_header", 84, TcpPacket, IpipPacket()),
        Adjusted("head_then_mac_grow", 0, TcpPacket, Hex(Zeros(4), Convert.FromHexString(Room(TcpPacket, 14, 8)))),
        Adjusted("net_grow", 0, Ipv6Packet, Room(Ipv6Packet, 54, 8)),
        Adjusted("encap_ipip", ProtocolIpv4, Ipv6Packet, Room(Ipv6Packet, 14, 20)),
        Adjusted("decap_ipv6", Enotsupp, Ipv6Packet),
        Adjusted("decap_ipv6", ProtocolIpv6, SixInFour, Room(SixInFour, 14, -20)),
        Adjusted("net_grow", Enotsupp, Arp),
        Adjusted("grow_1000", Efault, Arp),
        Adjusted("unknown_flag", Einval, Arp),
        Adjusted("net_decap_ipv4", Enomem, Ipv6Packet),
        Adjusted("trim_then_net_grow", Enomem, TcpPacket, TcpPacket[..40]),
        Adjusted("encap_decap_encap", Ealready, TcpPacket),
        Adjusted("grow_past_max", Enotsupp, TcpPacket, TcpPacket + Hex(Zeros(16000 - 64))),
        Adjusted("net_grow", Enotsupp, TcpPacket) with { CtxIn = Struct(SkBuffSize, (176, 1000)), CtxOut = Struct(SkBuffSize, (40, 1), (160, 64), (176, 1000)) },
        Adjusted("net_shrink", Enotsupp, TcpPacket) with { CtxIn = Struct(SkBuffSize, (176, 1000)), CtxOut = Struct(SkBuffSize, (40, 1), (160, 64), (176, 1000)) });

    [FactRequires(Requirement.Kernel)]
    public void Skb_adjust_room_inserts_and_removes_room_like_the_kernel() => Verify(SkbAdjustRoom);

    static RunProgram Xdp(string program, long returns, params byte[][] dataOut) =>
        OnCounting(program, returns, dataOut.Length == 0 ? Counting : dataOut.SelectMany(p => p).ToArray());

    static byte[] Zeros(int n) => new byte[n];

    public static readonly KernelScenario XdpAdjust = Scenario("helpers/xdp.o",
        "bpf_xdp_adjust_head/tail/meta within the test run's page: 216 bytes of headroom (40 kept for xdp_frame), " +
        "3456 of tailroom, 14 bytes of packet at least, metadata 4-aligned and moving with the head; bpf_redirect's XDP verdicts",
        Xdp("head_grow_max", 0, Zeros(216), Counting), Xdp("head_grow_past_max", -22),
        Xdp("head_shrink", 0, Counting[10..]), Xdp("head_shrink_to_eth", 0, Counting[50..]), Xdp("head_shrink_past_eth", -22),
        Xdp("tail_shrink", 0, Counting[..54]), Xdp("tail_shrink_to_eth", 0, Counting[..14]), Xdp("tail_shrink_past_eth", -22),
        Xdp("tail_grow", 0, Counting, Zeros(16)), Xdp("tail_grow_max", 0, Counting, Zeros(3456)), Xdp("tail_grow_past_max", -22),
        Xdp("tail_zero", 0),
        Xdp("meta_4", 0, Zeros(4), Counting), Xdp("meta_unaligned", -13), Xdp("meta_32", 0, Zeros(32), Counting),
        Xdp("meta_36", 0, Zeros(36), Counting), Xdp("meta_212", 0, Zeros(212), Counting), Xdp("meta_216", 0, Zeros(216), Counting),
        Xdp("meta_past_data", -22),
        Xdp("push_header", 68, "HDR!"u8.ToArray(), Counting),
        Xdp("append", 70, Counting, [0xee, 0, 0xff, 0, 0, 0]),
        Xdp("meta_then_head", 8, [0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc4, 0xc5, 0xc6, 0xc7], Counting),
        Xdp("meta_blocks_head", -22, Zeros(200), Counting),
        Xdp("redirect", 4), Xdp("redirect_bad_flags", 0));

    [FactRequires(Requirement.Kernel)]
    public void Xdp_adjust_helpers_move_the_frame_like_the_kernel() => Verify(XdpAdjust);

    static DumpMap Got(params byte[][] parts) => Dump(".bss", Entry(U32(0), Bytes([.. parts.SelectMany(p => p), .. Zeros(64 - parts.Sum(p => p.Length))])));

    public static readonly KernelScenario XdpBytes = Scenario("helpers/xdp_bytes.o",
        "bpf_xdp_load_bytes/bpf_xdp_store_bytes: bytes at an offset, the whole frame, -EINVAL one byte past it, -EFAULT " +
        "for an offset over 0xffff; the program's buffer untouched on an error",
        Xdp("load", 0), Got(Counting[60..]), Xdp("load_past_end", -22), Xdp("load_far", -14), Got(Counting[60..]),
        Xdp("load_whole", 0), Got(Counting),
        Xdp("store", 0, Counting[..4], [0xaa, 0xbb, 0xcc, 0xdd], Counting[8..]), Xdp("store_past_end", -22));

    [FactRequires(Requirement.Kernel)]
    public void Xdp_load_and_store_bytes_copy_like_the_kernel() => Verify(XdpBytes);

    public static readonly KernelScenario Redirect = Scenario("helpers/redirect.o",
        "bpf_redirect from tc: TC_ACT_REDIRECT for flags 0 and BPF_F_INGRESS (the device is not checked until the " +
        "redirect happens), TC_ACT_SHOT for other flags",
        Run("egress", 7), Run("ingress", 7), Run("bad_flags", 2), Run("unknown_device", 7));

    [FactRequires(Requirement.Kernel)]
    public void Redirect_returns_the_tc_verdicts() => Verify(Redirect);
}
