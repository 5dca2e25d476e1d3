using System.Buffers.Binary;
using BpfSharp.Helpers;
using BpfSharp.Programs;

namespace BpfSharp.Tests.Helpers;

/// <summary>The checksum arithmetic (include/net/checksum.h, arch/x86/lib/csum-partial_64.c) and the helpers built on
/// it (net/core/filter.c), on the IPv4/TCP packet of the helpers/csum kernel scenario.</summary>
public class ChecksumHelperTests
{
    const long EINVAL = -22, EFAULT = -14;

    /// <summary>Ethernet, IPv4 192.168.1.10 → 192.168.1.20 (checksum at 24), TCP 12345 → 80 (checksum at 50).</summary>
    static readonly byte[] Packet = Convert.FromHexString("020000000002020000000001080045000032123440004006a523c0a8010ac0a80114" +
        "3039005000000001000000005002ffffb7ec0000ffff000068656c6c6f21");

    [Fact]
    public void Ones_complement_arithmetic_carries_around()
    {
        Assert.Equal(2u, Checksum.Add(0xffff_ffff, 2));                  // csum_add: -0 + 2
        Assert.Equal(0xffff_fffeu, Checksum.Sub(0, 1));                   // csum_sub = add of the complement
        Assert.Equal((ushort)0, Checksum.Fold(0x0001_fffe));               // csum_fold: 0xfffe + 1, complemented
        Assert.Equal((ushort)0x9acf, Checksum.From32To16(0xabcd_ef01));    // csum_from32to16: 0xabcd + 0xef01 + carry
    }

    [Fact]
    public void Partial_sums_follow_x86_64_csum_partial()
    {
        Assert.Equal(0xabcd_ef01u, Checksum.Partial([], 0xabcd_ef01));
        Assert.Equal(0xffff_ffffu, Checksum.Partial(Enumerable.Repeat((byte)0xff, 8).ToArray(), 0));
        // 0x1234 + 0x5566778811223344, then the halves: 0x55667788 + 0x11224578.
        Assert.Equal(0x6688_bd00u, Checksum.Partial(Convert.FromHexString("4433221188776655"), 0x1234));
        // A 4-byte tail is zero-padded to a u64.
        Assert.Equal(0x0403_0201u, Checksum.Partial([1, 2, 3, 4], 0));
    }

    static long CsumDiff(byte[] from, byte[] to, uint seed)
    {
        using var h = new HelperHarness();
        var f = from.Length == 0 ? 0 : h.Alloc(from);
        var t = to.Length == 0 ? 0 : h.Alloc(to);
        return h.CallSigned(HelperId.CsumDiff, f, (ulong)from.Length, t, (ulong)to.Length, seed);
    }

    [Fact]
    public void Csum_diff_folds_its_sum_to_16_bits_and_takes_any_size() // since the late-2024 rewrite, measured on Linux 6.18
    {
        Assert.Equal(0x2389, CsumDiff([], Convert.FromHexString("4433221188776655"), 0x1234));
        Assert.Equal(0x9acf, CsumDiff([], [], 0xabcd_ef01));
        Assert.Equal(0, CsumDiff([], [0, 0, 0, 0], 0));
        // from only: ~csum_partial(from, ~seed); both: csum_partial(to, seed) - csum_partial(from, 0).
        Assert.Equal(0xfbf9, CsumDiff(Convert.FromHexString("ffffffff0403020100000000"), [], 0xffff_ffff));
        Assert.NotEqual(EINVAL, CsumDiff([1, 2, 3, 4, 5, 6], [], 0));
        Assert.Equal(0xffff, CsumDiff([9, 9, 9, 9], [9, 9, 9, 9], 0));   // no change is -0 in ones' complement
    }

    /// <summary>Runs a helper against a tc skb of <see cref="Packet"/>; returns its result and the packet after.</summary>
    static (long Returned, byte[] Packet) OnSkb(HelperId helper, ulong offset, ulong from, ulong to, ulong flags)
    {
        using var h = new HelperHarness();
        using var skb = new SkBuffSession(new RunOptions { Data = Packet }, ProgramType.SchedCls);
        skb.Attach(h.Invocation);
        h.Invocation.ProgramState = skb;
        var r = h.CallSigned(helper, skb.Context, offset, from, to, flags);
        return (r, skb.DataOut());
    }

    static bool ChecksumsHold(byte[] packet)
    {
        static ushort Sum(ReadOnlySpan<byte> bytes)
        {
            uint s = 0;
            for (var i = 0; i < bytes.Length; i += 2) s += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
            while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
            return (ushort)~s;
        }
        var ip = packet.AsSpan(14, 20);
        byte[] pseudo = [.. ip[12..20], 0, 6, 0, 30, .. packet.AsSpan(34)];
        return Sum(ip) == 0 && Sum(pseudo) == 0;
    }

    [Fact]
    public void Replacing_an_address_in_both_checksums_keeps_the_packet_valid()
    {
        const uint Old = 0x0a01_a8c0, New = 0x6300_000a; // 192.168.1.10 → 10.0.0.99, as u32 loads of the bytes
        using var h = new HelperHarness();
        using var skb = new SkBuffSession(new RunOptions { Data = Packet }, ProgramType.SchedCls);
        skb.Attach(h.Invocation);
        h.Invocation.ProgramState = skb;
        BinaryPrimitives.WriteUInt32LittleEndian(skb.Packet[26..], New);
        Assert.Equal(0, h.CallSigned(HelperId.L3CsumReplace, skb.Context, 24, Old, New, 4));
        Assert.Equal(0, h.CallSigned(HelperId.L4CsumReplace, skb.Context, 50, Old, New, 0x10 | 4));
        Assert.True(ChecksumsHold(skb.DataOut()));
        Assert.Equal("5c73", Convert.ToHexStringLower(skb.DataOut()[24..26]));   // what Linux 6.18 wrote
    }

    [Fact]
    public void Sixteen_bit_fields_use_csum16_arithmetic_in_l3_and_32_bit_in_l4()
    {
        // A field of ffff changed by +0000ffff sums to 0: stored as 0 by both...
        Assert.Equal("0000", Convert.ToHexStringLower(OnSkb(HelperId.L3CsumReplace, 54, 0, 0xffff, 2).Packet[54..56]));
        Assert.Equal("0000", Convert.ToHexStringLower(OnSkb(HelperId.L4CsumReplace, 54, 0, 0xffff, 4).Packet[54..56]));
        // ...and as CSUM_MANGLED_0 (ffff) by L4 with BPF_F_MARK_MANGLED_0.
        Assert.Equal("ffff", Convert.ToHexStringLower(OnSkb(HelperId.L4CsumReplace, 54, 0, 0xffff, 0x20 | 4).Packet[54..56]));
    }

    [Fact]
    public void Mark_mangled_0_leaves_a_zero_checksum_alone_unless_enforced()
    {
        Assert.Equal("0000", Convert.ToHexStringLower(OnSkb(HelperId.L4CsumReplace, 56, 0, 0x1234, 0x20 | 4).Packet[56..58]));
        Assert.Equal("cbed", Convert.ToHexStringLower(OnSkb(HelperId.L4CsumReplace, 56, 0, 0x1234, 0x20 | 0x40 | 4).Packet[56..58]));
    }

    [Theory]
    [InlineData(HelperId.L3CsumReplace, 25UL, 2UL, EFAULT)]        // odd offset
    [InlineData(HelperId.L3CsumReplace, 64UL, 2UL, EFAULT)]        // past the packet
    [InlineData(HelperId.L3CsumReplace, 0x10000UL, 2UL, EFAULT)]
    [InlineData(HelperId.L3CsumReplace, 24UL, 0x12UL, EINVAL)]     // L4 flags on L3
    [InlineData(HelperId.L3CsumReplace, 24UL, 3UL, EINVAL)]        // size 3
    [InlineData(HelperId.L3CsumReplace, 24UL, 0UL, EINVAL)]        // a diff with from != 0
    [InlineData(HelperId.L4CsumReplace, 50UL, 0x104UL, EINVAL)]
    [InlineData(HelperId.L4CsumReplace, 51UL, 4UL, EFAULT)]
    public void Bad_offsets_and_flags_fail_without_touching_the_packet(HelperId helper, ulong offset, ulong flags, long errno)
    {
        var (r, after) = OnSkb(helper, offset, 1, 2, flags);
        Assert.Equal(errno, r);
        Assert.Equal(Packet, after);
    }

    [Fact]
    public void Csum_update_is_ENOTSUPP_for_a_test_runs_skb() // ip_summed is CHECKSUM_NONE
    {
        Assert.Equal(-524, OnSkb(HelperId.CsumUpdate, 0x1234, 0, 0, 0).Returned);
    }
}
