using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>The flow hash that spreads a replay over cores, against the RSS verification suite's values (Microsoft's
/// "Verifying the RSS Hash Calculation", Intel 82599 datasheet §7.1.2.8.3, DPDK's test_thash.c): source and destination
/// address, then the ports, under the suite's 40-byte key.</summary>
public class FlowHashTests
{
    /// <summary>Source, destination, source port, destination port, the hash of the addresses, the hash with the ports.</summary>
    public static TheoryData<string, string, ushort, ushort, uint, uint> Ipv4Suite => new()
    {
        { "66.9.149.187", "161.142.100.80", 2794, 1766, 0x323e8fc2, 0x51ccc178 },
        { "199.92.111.2", "65.69.140.83", 14230, 4739, 0xd718262a, 0xc626b0ea },
        { "24.19.198.95", "12.22.207.184", 12898, 38024, 0xd2d0a5de, 0x5c2b394a },
        { "38.27.205.30", "209.142.163.6", 48228, 2217, 0x82989176, 0xafc7327f },
        { "153.39.163.191", "202.188.127.2", 44251, 1303, 0x5d1809c5, 0x10e828a2 },
    };

    public static TheoryData<string, string, ushort, ushort, uint, uint> Ipv6Suite => new()
    {
        { "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766, 0x2cc18cd5, 0x40207d3d },
        { "3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739, 0x0f0c461c, 0xdde51bbf },
        { "3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf", 44251, 38024, 0x4b61e985, 0x02d1feef },
    };

    [Theory, MemberData(nameof(Ipv4Suite))]
    public void IPv4_TCP_and_UDP_hash_addresses_and_ports_and_other_protocols_the_addresses(string source, string destination,
        ushort sourcePort, ushort destinationPort, uint addresses, uint withPorts)
    {
        Assert.Equal(withPorts, FlowHash.Hash(Packets.TcpV4(source, destination, sourcePort, destinationPort)));
        Assert.Equal(withPorts, FlowHash.Hash(Packets.UdpV4(source, destination, sourcePort, destinationPort, payload: 10)));
        Assert.Equal(addresses, FlowHash.Hash(Packets.IcmpV4(source, destination)));
    }

    [Theory, MemberData(nameof(Ipv6Suite))]
    public void IPv6_TCP_and_UDP_hash_addresses_and_ports_and_other_protocols_the_addresses(string source, string destination,
        ushort sourcePort, ushort destinationPort, uint addresses, uint withPorts)
    {
        Assert.Equal(withPorts, FlowHash.Hash(Packets.TcpV6(source, destination, sourcePort, destinationPort)));
        Assert.Equal(withPorts, FlowHash.Hash(Packets.UdpV6(source, destination, sourcePort, destinationPort)));
        Assert.Equal(addresses, FlowHash.Hash(Packets.IcmpV6(source, destination)));
    }

    [Fact]
    public void Fragments_hash_on_their_addresses_so_that_every_fragment_of_a_datagram_meets_the_same_worker()
    {
        var udp = Packets.UdpDatagram(2794, 1766, 100);
        Assert.Equal(0x323e8fc2u, FlowHash.Hash(Packets.Ethernet(Packets.Ipv4Type, Packets.Ipv4("66.9.149.187", "161.142.100.80", Packets.Udp, udp, fragment: 0x2000))));
        Assert.Equal(0x323e8fc2u, FlowHash.Hash(Packets.Ethernet(Packets.Ipv4Type, Packets.Ipv4("66.9.149.187", "161.142.100.80", Packets.Udp, udp[..8], fragment: 0x0010))));
        // Don't-fragment is no fragment.
        Assert.Equal(0x51ccc178u, FlowHash.Hash(Packets.Ethernet(Packets.Ipv4Type, Packets.Ipv4("66.9.149.187", "161.142.100.80", Packets.Udp, udp, fragment: 0x4000))));
    }

    [Fact]
    public void VLAN_tags_are_looked_through()
    {
        Assert.Equal(0x51ccc178u, FlowHash.Hash(Packets.TcpV4("66.9.149.187", "161.142.100.80", 2794, 1766, vlans: 20)));
        Assert.Equal(0x40207d3du, FlowHash.Hash(Packets.Ethernet(Packets.QinQType, [0, 30, 0x81, 0x00, 0, 40, 0x86, 0xdd,
            .. Packets.TcpV6("3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766)[14..]])));
    }

    [Fact]
    public void Packets_that_are_not_IP_or_are_cut_inside_the_addresses_have_no_hash_and_go_to_worker_0()
    {
        var arp = Packets.Arp();
        var cut = Packets.TcpV4("66.9.149.187", "161.142.100.80", 2794, 1766)[..(14 + 19)];
        Assert.Null(FlowHash.Hash(arp));
        Assert.Null(FlowHash.Hash(cut));
        Assert.Equal(0, FlowHash.Worker(arp, 2));
        Assert.Equal(0, FlowHash.Worker(cut, 2));
    }

    [Fact]
    public void The_worker_is_the_default_indirection_table_entry_of_the_hash_low_7_bits()
    {
        // 0x51ccc178: entry 0x78 = 120 of 128; ethtool_rxfh_indir_default gives queue 120 % n.
        var frame = Packets.TcpV4("66.9.149.187", "161.142.100.80", 2794, 1766);
        Assert.Equal(0, FlowHash.Worker(frame, 2));
        Assert.Equal(0, FlowHash.Worker(frame, 3));
        Assert.Equal(1, FlowHash.Worker(frame, 7));
        // 0xc626b0ea: entry 0x6a = 106.
        var other = Packets.TcpV4("199.92.111.2", "65.69.140.83", 14230, 4739);
        Assert.Equal(0, FlowHash.Worker(other, 2));
        Assert.Equal(1, FlowHash.Worker(other, 3));
        Assert.Equal(2, FlowHash.Worker(other, 4));
    }
}
