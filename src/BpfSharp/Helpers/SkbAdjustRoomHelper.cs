using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>long bpf_skb_adjust_room(skb, s32 len_diff, u32 mode, u64 flags)</c> (50, net/core/filter.c): zeroed
/// room inserted, or bytes removed, right after the MAC header (<c>BPF_ADJ_ROOM_MAC</c>) or after the IPv4/IPv6 base
/// header (<c>BPF_ADJ_ROOM_NET</c>), how tunnels are pushed and popped. The flags say what the new room will hold;
/// they are checked as the kernel checks them, and the ones that name the new outer header set skb->protocol to it.
/// The offsets the kernel keeps for the inner headers and GSO have nothing in a test run that shows them.</summary>
internal static class SkbAdjustRoomHelper
{
    [Flags]
    enum RoomFlags : ulong
    {
        FixedGso = 1 << 0,
        EncapIpv4 = 1 << 1,
        EncapIpv6 = 1 << 2,
        EncapGre = 1 << 3,
        EncapUdp = 1 << 4,
        NoChecksumReset = 1 << 5,
        EncapEthernet = 1 << 6,
        DecapIpv4 = 1 << 7,
        DecapIpv6 = 1 << 8,
        InnerMacLength = 0xffUL << InnerMacShift,   // BPF_F_ADJ_ROOM_ENCAP_L2(len)
        Encap = EncapIpv4 | EncapIpv6,
        Decap = DecapIpv4 | DecapIpv6,
        Known = FixedGso | Encap | EncapGre | EncapUdp | NoChecksumReset | EncapEthernet | Decap | InnerMacLength,
        KnownWhenShrinking = FixedGso | Decap | NoChecksumReset,
    }

    const int InnerMacShift = 56;
    const uint RoomAtNetwork = 0, RoomAtMac = 1;   // BPF_ADJ_ROOM_NET, BPF_ADJ_ROOM_MAC
    const long MaxDifference = 0xfff;
    const ushort Ipv4 = 0x0800, Ipv6 = 0x86dd;
    const int Ipv4Header = 20, Ipv6Header = 40, EthernetHeader = 14;

    public static void Register(HelperTable table) => table.RegisterBuiltIn((int)HelperId.SkbAdjustRoom, "bpf_skb_adjust_room", AdjustRoom);

    /// <summary>0; -EINVAL for flags that are unknown or contradict each other or the direction, -EFAULT for more than
    /// 0xfff bytes, -ENOTSUPP for a packet that is not IPv4/IPv6, an unknown mode, a shrink into the (inner) base
    /// header, a packet grown past the maximum or a GSO skb, -EALREADY for a second encapsulation, -ENOMEM when the
    /// room's place or the bytes to remove lie past the packet.</summary>
    static ulong AdjustRoom(Invocation inv, ulong ctx, ulong lengthDifference, ulong mode, ulong flagBits, ulong r5)
    {
        var skb = SkbAccess.LinkLayerSession(inv, "bpf_skb_adjust_room");
        var difference = (int)(uint)lengthDifference;
        var flags = (RoomFlags)flagBits;
        var bytes = Math.Abs((long)difference);
        if ((flags & ~RoomFlags.Known) != 0) return Errno.Result(-Errno.EINVAL);
        if (bytes > MaxDifference) return Errno.Result(-Errno.EFAULT);
        var protocol = skb.SkbProtocol;
        if (protocol is not (Ipv4 or Ipv6)) return Errno.Result(-Errno.ENOTSUPP);

        var baseHeader = protocol == Ipv4 ? Ipv4Header : Ipv6Header;
        // skb_mac_header_len: the room goes after the MAC header, or after the IP base header too.
        int? past = (uint)mode switch { RoomAtNetwork => baseHeader, RoomAtMac => 0, _ => null };
        if (past is null) return Errno.Result(-Errno.ENOTSUPP);
        var offset = skb.NetworkOffset + past.Value;

        var shrink = difference < 0;
        var minimum = baseHeader;
        if ((flags & RoomFlags.Decap) != 0)
        {
            if (!shrink) return Errno.Result(-Errno.EINVAL);
            switch (flags & RoomFlags.Decap)
            {
                case RoomFlags.DecapIpv4: minimum = Ipv4Header; break;
                case RoomFlags.DecapIpv6: minimum = Ipv6Header; break;
                default: return Errno.Result(-Errno.EINVAL);
            }
        }

        var length = skb.Packet.Length;
        var current = length - skb.NetworkOffset;
        if (shrink ? bytes >= current || current - bytes < minimum : length + bytes > SkBuffSession.MaxLength && !skb.IsGso)
            return Errno.Result(-Errno.ENOTSUPP);
        return Errno.Result(shrink ? Shrink(inv, skb, offset, (int)bytes, flags) : Grow(inv, skb, offset, (int)bytes, flags));
    }

    /// <summary><c>bpf_skb_net_grow</c>. A test run's GSO skb has no GSO type, so it is neither TCP nor UDP GSO, which
    /// the kernel refuses. Room after an IP header that <c>bpf_skb_change_tail</c> cut is -ENOMEM: the bytes before it
    /// must be in the packet.</summary>
    static int Grow(Invocation inv, SkBuffSession skb, int offset, int bytes, RoomFlags flags)
    {
        if (skb.IsGso) return -Errno.ENOTSUPP;
        var encap = (flags & RoomFlags.Encap) != 0;
        if (encap)
        {
            var innerMac = (int)((ulong)(flags & RoomFlags.InnerMacLength) >> InnerMacShift);
            if ((flags & RoomFlags.Encap) == RoomFlags.Encap || flags.HasFlag(RoomFlags.EncapGre | RoomFlags.EncapUdp)
                || flags.HasFlag(RoomFlags.EncapEthernet) && innerMac < EthernetHeader)
                return -Errno.EINVAL;
            if (skb.Encapsulated) return -Errno.EALREADY;
            if (innerMac > bytes) return -Errno.EINVAL;
        }
        if (offset > skb.Packet.Length) return -Errno.ENOMEM;
        skb.InsertRoom(inv, offset, bytes);
        if (!encap) return 0;
        skb.Encapsulated = true;
        FollowOuterHeader(skb, flags.HasFlag(RoomFlags.EncapIpv4), flags.HasFlag(RoomFlags.EncapIpv6));
        return 0;
    }

    /// <summary><c>bpf_skb_net_shrink</c>: the bytes must be in the packet (<c>skb_ensure_writable</c>).</summary>
    static int Shrink(Invocation inv, SkBuffSession skb, int offset, int bytes, RoomFlags flags)
    {
        if ((flags & ~RoomFlags.KnownWhenShrinking) != 0) return -Errno.EINVAL;
        if (skb.IsGso) return -Errno.ENOTSUPP;
        if (offset + bytes > skb.Packet.Length) return -Errno.ENOMEM;
        skb.RemoveRoom(inv, offset, bytes);
        FollowOuterHeader(skb, flags.HasFlag(RoomFlags.DecapIpv4), flags.HasFlag(RoomFlags.DecapIpv6));
        return 0;
    }

    /// <summary>skb->protocol becomes the new outer header's when the flags name the other IP version.</summary>
    static void FollowOuterHeader(SkBuffSession skb, bool toIpv4, bool toIpv6)
    {
        if (skb.SkbProtocol == Ipv4 && toIpv6) skb.SkbProtocol = Ipv6;
        else if (skb.SkbProtocol == Ipv6 && toIpv4) skb.SkbProtocol = Ipv4;
    }
}
