using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

public class EthernetFramingTests
{
    static byte[] Frame(LinkType type, byte[] packet)
    {
        Assert.Null(EthernetFraming.Refusal(type, packet));
        var frame = new byte[EthernetFraming.FrameLength(type, packet)];
        Assert.Equal(frame.Length, EthernetFraming.Frame(type, packet, frame));
        return frame;
    }

    static readonly byte[] Mac = [0x02, 0x00, 0x5e, 0x10, 0x20, 0x30];

    /// <summary>LINKTYPE_LINUX_SLL: packet type, ARPHRD_ type, address length (16 bits each), 8 address bytes, protocol.</summary>
    static byte[] Sll(ushort packetType, ushort arphrd, byte[] address, ushort protocol, byte[] payload) =>
        [(byte)(packetType >> 8), (byte)packetType, (byte)(arphrd >> 8), (byte)arphrd, 0, (byte)address.Length,
            .. address, .. new byte[8 - address.Length], (byte)(protocol >> 8), (byte)protocol, .. payload];

    /// <summary>LINKTYPE_LINUX_SLL2: protocol, reserved, interface index, ARPHRD_ type, packet type, address length, 8 address bytes.</summary>
    static byte[] Sll2(ushort protocol, uint ifindex, ushort arphrd, byte packetType, byte[] address, byte[] payload) =>
        [(byte)(protocol >> 8), (byte)protocol, 0, 0, (byte)(ifindex >> 24), (byte)(ifindex >> 16), (byte)(ifindex >> 8), (byte)ifindex,
            (byte)(arphrd >> 8), (byte)arphrd, packetType, (byte)address.Length, .. address, .. new byte[8 - address.Length], .. payload];

    [Fact]
    public void Raw_ip_gets_a_zero_address_header_with_the_ethertype_of_its_version()
    {
        var v4 = Packets.Ipv4("10.0.0.1", "10.0.0.2", Packets.Udp, Packets.UdpDatagram(1, 2));
        var v6 = Packets.Ipv6("::1", "::2", Packets.Udp, Packets.UdpDatagram(1, 2));
        Assert.Equal([.. new byte[12], 0x08, 0x00, .. v4], Frame(LinkType.Raw, v4));
        Assert.Equal([.. new byte[12], 0x86, 0xdd, .. v6], Frame(LinkType.Raw, v6));
        Assert.Equal([.. new byte[12], 0x08, 0x00, .. v4], Frame(LinkType.Ipv4, v4));
        Assert.Equal([.. new byte[12], 0x86, 0xdd, .. v6], Frame(LinkType.Ipv6, v6));
        Assert.Equal([.. new byte[12], 0x00, 0x00, 0x50], Frame(LinkType.Raw, [0x50]));
    }

    [Fact]
    public void A_cooked_packet_gets_its_protocol_as_ethertype_and_a_6_byte_sender_address_as_source()
    {
        var v4 = Packets.Ipv4("10.0.0.1", "10.0.0.2", Packets.Udp, Packets.UdpDatagram(1, 2));
        var v6 = Packets.Ipv6("::1", "::2", Packets.Udp, Packets.UdpDatagram(1, 2));
        // An Ethernet device (ARPHRD_ETHER 1), sent by us (4) and received (0).
        Assert.Equal([.. new byte[6], .. Mac, 0x08, 0x00, .. v4], Frame(LinkType.LinuxSll, Sll(4, 1, Mac, 0x0800, v4)));
        Assert.Equal([.. new byte[6], .. Mac, 0x86, 0xdd, .. v6], Frame(LinkType.LinuxSll2, Sll2(0x86dd, 2, 1, 0, Mac, v6)));
        // A tagged frame keeps its tag: the payload starts with the TCI and the inner EtherType.
        byte[] tagged = [0x00, 0x05, 0x08, 0x00, .. v4];
        Assert.Equal([.. new byte[6], .. Mac, 0x81, 0x00, .. tagged], Frame(LinkType.LinuxSll2, Sll2(0x8100, 2, 1, 0, Mac, tagged)));
        // A tun device (ARPHRD_NONE 0xfffe) has no address; PPP (512) neither.
        Assert.Equal([.. new byte[12], 0x08, 0x00, .. v4], Frame(LinkType.LinuxSll, Sll(0, 0xfffe, [], 0x0800, v4)));
        Assert.Equal([.. new byte[12], 0x86, 0xdd, .. v6], Frame(LinkType.LinuxSll2, Sll2(0x86dd, 7, 512, 0, [], v6)));
    }

    [Fact]
    public void A_cooked_packet_with_no_ethernet_form_is_refused_with_the_reason()
    {
        var llc = Sll(0, 1, Mac, 0x0004, [0x42, 0x42, 0x03]);
        Assert.Equal("its protocol 0x0004 is not an EtherType (802.2 LLC), so it has no Ethernet form", EthernetFraming.Refusal(LinkType.LinuxSll, llc));
        var netlink = Sll2(0x0000, 0, 824, 4, [], new byte[16]);
        Assert.Equal("its device type is ARPHRD_NETLINK (824), whose payload is not an EtherType's", EthernetFraming.Refusal(LinkType.LinuxSll2, netlink));
        Assert.Equal("its Linux cooked (LinuxSll) header needs 16 bytes; 10 were captured", EthernetFraming.Refusal(LinkType.LinuxSll, new byte[10]));
        Assert.Equal("its Linux cooked (LinuxSll2) header needs 20 bytes; 19 were captured", EthernetFraming.Refusal(LinkType.LinuxSll2, new byte[19]));
        var e = Assert.Throws<NotSupportedException>(() => EthernetFraming.Frame(LinkType.LinuxSll, llc, new byte[64]));
        Assert.Equal("a packet of link type 113 (LinuxSll): its protocol 0x0004 is not an EtherType (802.2 LLC), so it has no Ethernet form", e.Message);
    }

    [Fact]
    public void Ethernet_passes_unchanged_and_other_link_types_are_refused()
    {
        var tcp = Packets.TcpV4("10.0.0.1", "10.0.0.2", 1, 2);
        Assert.Equal(tcp, Frame(LinkType.Ethernet, tcp));
        Assert.False(EthernetFraming.CanFrame((LinkType)147));
        var e = Assert.Throws<NotSupportedException>(() => Frame((LinkType)147, tcp));
        Assert.Equal("link type 147 cannot be given an Ethernet header", e.Message);
        Assert.Equal("276 (LinuxSll2)", EthernetFraming.Describe(LinkType.LinuxSll2));
    }
}
