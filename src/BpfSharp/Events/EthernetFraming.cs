using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>Gives every captured packet the Ethernet frame that XDP and skb programs expect. Ethernet captures pass
/// unchanged. Raw IP captures (tun devices: <see cref="LinkType.Raw"/>, <see cref="LinkType.Ipv4"/>,
/// <see cref="LinkType.Ipv6"/>) get the 14-byte header a loopback device would carry: both addresses zero and the
/// EtherType of the IP version (0x0800 or 0x86dd; for a raw packet whose version nibble is neither 4 nor 6,
/// 0x0000). Linux cooked captures (<see cref="LinkType.LinuxSll"/>, <see cref="LinkType.LinuxSll2"/>, what
/// <c>tcpdump -i any</c> writes) have lost the MAC header: the frame gets the cooked header's protocol as its
/// EtherType, the sender's address as its source when that is a 6-byte MAC, and a zero destination, which the capture
/// does not hold. Cooked packets whose protocol is not an EtherType (802.2 LLC, CAN, netlink, radiotap) have no
/// Ethernet form (<see cref="Refusal"/>). Other link types are refused.</summary>
internal static class EthernetFraming
{
    /// <summary>The Ethernet header's length (<c>ETH_HLEN</c>).</summary>
    public const int HeaderLength = 14;

    const int MacLength = 6;
    const ushort MinEtherType = 0x0600;     // smaller values are 802.3 lengths, or the cooked header's own codes

    /// <summary>Whether packets of this link type can be framed.</summary>
    public static bool CanFrame(LinkType type) =>
        type is LinkType.Ethernet or LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6 or LinkType.LinuxSll or LinkType.LinuxSll2;

    /// <summary>Why this packet of a link type that <see cref="CanFrame"/> has no Ethernet frame (a cooked packet cut
    /// inside its header or carrying something other than an EtherType's payload); null when it has one.</summary>
    public static string? Refusal(LinkType type, ReadOnlySpan<byte> packet)
    {
        if (Cooked.Of(type) is not { } cooked) return null;
        if (packet.Length < cooked.HeaderLength)
            return $"its Linux cooked ({type}) header needs {cooked.HeaderLength} bytes; {packet.Length} were captured";
        var arphrd = BinaryPrimitives.ReadUInt16BigEndian(packet[cooked.ArphrdOffset..]);
        if (Cooked.ArphrdWithoutEtherType(arphrd) is { } device)
            return $"its device type is ARPHRD_{device} ({arphrd}), whose payload is not an EtherType's";
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(packet[cooked.ProtocolOffset..]);
        return protocol < MinEtherType
            ? $"its protocol 0x{protocol:x4} is not an EtherType ({Cooked.ProtocolName(protocol)}), so it has no Ethernet form"
            : null;
    }

    /// <summary>How many bytes the frame of <paramref name="packet"/> takes.</summary>
    public static int FrameLength(LinkType type, ReadOnlySpan<byte> packet) => type switch
    {
        LinkType.Ethernet => packet.Length,
        _ when Cooked.Of(type) is { } cooked => packet.Length - cooked.HeaderLength + HeaderLength,
        _ => packet.Length + HeaderLength,
    };

    /// <summary>Writes the frame of <paramref name="packet"/> into <paramref name="frame"/> (at least
    /// <see cref="FrameLength"/> bytes) and returns its length.</summary>
    /// <exception cref="NotSupportedException">The link type is not one BpfSharp frames, or <see cref="Refusal"/>
    /// refuses the packet.</exception>
    public static int Frame(LinkType type, ReadOnlySpan<byte> packet, Span<byte> frame)
    {
        if (type == LinkType.Ethernet)
        {
            packet.CopyTo(frame);
            return packet.Length;
        }
        if (Cooked.Of(type) is { } cooked)
            return FrameCooked(type, cooked, packet, frame);
        ushort etherType = type switch
        {
            LinkType.Ipv4 => 0x0800,
            LinkType.Ipv6 => 0x86dd,
            LinkType.Raw => packet.IsEmpty ? (ushort)0 : (packet[0] >> 4) switch { 4 => (ushort)0x0800, 6 => (ushort)0x86dd, _ => (ushort)0 },
            _ => throw new NotSupportedException($"link type {Describe(type)} cannot be given an Ethernet header"),
        };
        frame[..12].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
        packet.CopyTo(frame[HeaderLength..]);
        return packet.Length + HeaderLength;
    }

    static int FrameCooked(LinkType type, Cooked cooked, ReadOnlySpan<byte> packet, Span<byte> frame)
    {
        if (Refusal(type, packet) is { } why) throw new NotSupportedException($"a packet of link type {Describe(type)}: {why}");
        var payload = packet[cooked.HeaderLength..];
        frame[..MacLength].Clear();
        var source = frame.Slice(MacLength, MacLength);
        if (cooked.AddressLength(packet) == MacLength) packet.Slice(cooked.AddressOffset, MacLength).CopyTo(source);
        else source.Clear();
        packet.Slice(cooked.ProtocolOffset, 2).CopyTo(frame[12..]);
        payload.CopyTo(frame[HeaderLength..]);
        return payload.Length + HeaderLength;
    }

    /// <summary>"1 (Ethernet)", "113 (LinuxSll)", "147".</summary>
    public static string Describe(LinkType type) => Enum.IsDefined(type) ? $"{(uint)type} ({type})" : $"{(uint)type}";

    /// <summary>Where a cooked header keeps its fields (tcpdump.org's LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2 pages).</summary>
    sealed record Cooked(int HeaderLength, int ArphrdOffset, int AddressLengthOffset, bool WideAddressLength, int AddressOffset, int ProtocolOffset)
    {
        static readonly Cooked V1 = new(16, 2, 4, true, 6, 14);
        static readonly Cooked V2 = new(20, 8, 11, false, 12, 0);

        public static Cooked? Of(LinkType type) => type switch { LinkType.LinuxSll => V1, LinkType.LinuxSll2 => V2, _ => null };

        public int AddressLength(ReadOnlySpan<byte> packet) =>
            WideAddressLength ? BinaryPrimitives.ReadUInt16BigEndian(packet[AddressLengthOffset..]) : packet[AddressLengthOffset];

        /// <summary>The Linux device types whose protocol field is ignored or not an EtherType. GRE devices' protocol
        /// is GRE's, and GRE's protocol types are EtherTypes (RFC 2784), so their payloads frame.</summary>
        public static string? ArphrdWithoutEtherType(ushort arphrd) => arphrd switch
        {
            770 => "FRAD", 803 => "IEEE80211_RADIOTAP", 824 => "NETLINK", _ => null,
        };

        public static string ProtocolName(ushort protocol) => protocol switch
        {
            0x0001 => "Novell 802.3 without 802.2 LLC",
            0x0004 => "802.2 LLC",
            0x000c => "CAN",
            0x000d => "CAN FD",
            _ => "a code of the cooked header",
        };
    }
}
