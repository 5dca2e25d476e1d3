using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>Gives every captured packet the Ethernet frame that XDP and skb programs expect. Ethernet captures pass
/// unchanged. Raw IP captures (tun devices: <see cref="LinkType.Raw"/>, <see cref="LinkType.Ipv4"/>,
/// <see cref="LinkType.Ipv6"/>) get the 14-byte header a loopback device would carry: both addresses zero and the
/// EtherType of the IP version (0x0800 or 0x86dd; for a raw packet whose version nibble is neither 4 nor 6,
/// 0x0000). Other link types are refused.</summary>
public static class EthernetFraming
{
    /// <summary>The Ethernet header's length (<c>ETH_HLEN</c>).</summary>
    public const int HeaderLength = 14;

    /// <summary>Whether packets of this link type can be framed.</summary>
    public static bool CanFrame(LinkType type) => type is LinkType.Ethernet or LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6;

    /// <summary>How many bytes the frame of a <paramref name="length"/>-byte packet takes.</summary>
    public static int FrameLength(LinkType type, int length) => type == LinkType.Ethernet ? length : length + HeaderLength;

    /// <summary>Writes the frame of <paramref name="packet"/> into <paramref name="frame"/> (at least
    /// <see cref="FrameLength"/> bytes) and returns its length.</summary>
    /// <exception cref="NotSupportedException">The link type is not one BpfSharp frames.</exception>
    public static int Frame(LinkType type, ReadOnlySpan<byte> packet, Span<byte> frame)
    {
        if (type == LinkType.Ethernet)
        {
            packet.CopyTo(frame);
            return packet.Length;
        }
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

    /// <summary>"1 (Ethernet)", "113 (LinuxSll)", "147".</summary>
    public static string Describe(LinkType type) => Enum.IsDefined(type) ? $"{(uint)type} ({type})" : $"{(uint)type}";
}
