using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

public class EthernetFramingTests
{
    static byte[] Frame(LinkType type, byte[] packet)
    {
        var frame = new byte[EthernetFraming.FrameLength(type, packet.Length)];
        Assert.Equal(frame.Length, EthernetFraming.Frame(type, packet, frame));
        return frame;
    }

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
    public void Ethernet_passes_unchanged_and_other_link_types_are_refused()
    {
        var tcp = Packets.TcpV4("10.0.0.1", "10.0.0.2", 1, 2);
        Assert.Equal(tcp, Frame(LinkType.Ethernet, tcp));
        Assert.False(EthernetFraming.CanFrame(LinkType.LinuxSll));
        var e = Assert.Throws<NotSupportedException>(() => Frame(LinkType.LinuxSll, tcp));
        Assert.Equal("link type 113 (LinuxSll) cannot be given an Ethernet header", e.Message);
        Assert.Equal("147", EthernetFraming.Describe((LinkType)147));
    }
}
