using BpfSharp.Events;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Support.Packets;

namespace BpfSharp.Tests.Examples;

/// <summary>The captures the examples ship (examples/*/traffic.pcap), built here so that their content is known
/// packet by packet: the tests compute what each example must do from these frames, and check that the shipped files
/// are what this class writes (BPFSHARP_WRITE_EXAMPLES=1 rewrites them).</summary>
public static class ExampleTraffic
{
    /// <summary>2023-11-14 22:13:20 UTC; packets follow 1 ms apart.</summary>
    public const long StartNs = 1_700_000_000_000_000_000;

    public static string ShippedCapture(string example) => ExampleObject.PathOf($"{example}/traffic.pcap");

    /// <summary>The frames an example's traffic.pcap holds, in order.</summary>
    public static IReadOnlyList<byte[]> Frames(string example) => example switch
    {
        "sockex3" => SockEx3,
        "xdp-pipeline" => XdpPipeline,
        "chain" => Chain,
        _ => throw new ArgumentException($"no example '{example}'", nameof(example)),
    };

    /// <summary>A pcap (little-endian, microseconds) of <paramref name="frames"/>, 1 ms apart from <see cref="StartNs"/>.</summary>
    public static byte[] Capture(IEnumerable<byte[]> frames)
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
        {
            var i = 0;
            foreach (var frame in frames) writer.Write(frame, StartNs + 1_000_000L * i++);
        }
        return stream.ToArray();
    }

    /// <summary>Flows the socket filter counts (TCP, UDP, other IP, over IPv4, IPv6, one or two VLAN tags, an IPv4
    /// header with options) and packets it drops (ARP, LLDP, an IPv4 fragment, a cut TCP header).</summary>
    static readonly byte[][] SockEx3 =
    [
        TcpV4("10.0.0.1", "10.0.0.2", 40000, 80, Syn),
        TcpV4("10.0.0.2", "10.0.0.1", 80, 40000, Syn | Ack),
        TcpV4("10.0.0.1", "10.0.0.2", 40000, 80, Ack, payload: 100),
        TcpV4("10.0.0.2", "10.0.0.1", 80, 40000, Ack | Psh, payload: 700),
        TcpV4("10.0.0.1", "10.0.0.2", 40000, 80, Ack),
        UdpV4("10.0.0.3", "224.0.0.251", 5353, 5353, payload: 40),
        UdpV4("10.0.0.3", "224.0.0.251", 5353, 5353, payload: 60),
        UdpV4("10.0.0.3", "224.0.0.251", 5353, 5353, payload: 80),
        TcpV6("2001:db8::1", "2001:db8::2", 443, 50000, Ack, payload: 300),
        TcpV6("2001:db8::1", "2001:db8::2", 443, 50000, Ack | Psh, payload: 12),
        UdpV6("fe80::1", "ff02::1:2", 546, 547, payload: 30),
        TcpV4("10.1.0.1", "10.1.0.2", 1234, 22, Syn, vlans: 10),
        TcpV4("10.1.0.1", "10.1.0.2", 1234, 22, Ack, payload: 48, vlans: 10),
        Ethernet(QinQType, [0x00, 100, 0x81, 0x00, 0x00, 200, 0x08, 0x00, .. Ipv4("10.2.0.1", "10.2.0.2", Udp, UdpDatagram(53, 33000, 90))]),
        IcmpV4("10.0.0.1", "10.0.0.2", payload: 56),
        IcmpV4("10.0.0.2", "10.0.0.1", payload: 56),
        IcmpV6("2001:db8::1", "2001:db8::2", payload: 16),
        Ethernet(Ipv4Type, Ipv4("10.3.0.1", "10.3.0.2", Udp, UdpDatagram(7000, 7001, 10), options: [1, 1, 1, 1])),
        Arp(),
        Arp(),
        Ethernet(0x88cc, new byte[46]),
        Ethernet(Ipv4Type, Ipv4("10.0.0.3", "10.0.0.4", Udp, UdpDatagram(9, 9, 200), fragment: 0x2000)),
        TcpV4("10.0.0.5", "10.0.0.6", 3333, 4444, Syn)[..(14 + 20 + 10)],
    ];

    /// <summary>Every path through the pipeline: clean TCP, UDP, ICMP, IPv6 and VLAN traffic; a UDP source over its
    /// budget of 8; scans with impossible TCP flags; amplification replies (NTP, memcached, SSDP, chargen); oversized
    /// pings; cut and malformed headers; ARP and GRE, which no protocol stage checks.</summary>
    static readonly byte[][] XdpPipeline =
    [
        TcpV4("10.0.1.1", "10.0.9.9", 40000, 443, Syn),
        TcpV4("10.0.1.1", "10.0.9.9", 40000, 443, Ack),
        TcpV4("10.0.1.1", "10.0.9.9", 40000, 443, Ack | Psh, payload: 200),
        TcpV4("10.0.1.1", "10.0.9.9", 40000, 443, Ack | Fin),
        .. Enumerable.Range(0, 12).Select(i => UdpV4("10.0.66.6", "10.0.9.9", (ushort)(1024 + i), 53, payload: 30)),
        TcpV4("10.0.7.7", "10.0.9.9", 5000, 22, Fin | Psh | 0x20),
        TcpV4("10.0.7.7", "10.0.9.9", 5001, 22, 0),
        TcpV4("10.0.7.7", "10.0.9.9", 5002, 22, Syn | Fin),
        UdpV4("10.0.5.5", "10.0.9.9", 123, 40000, payload: 440),
        UdpV4("10.0.5.5", "10.0.9.9", 123, 40001, payload: 440),
        UdpV4("10.0.5.6", "10.0.9.9", 11211, 40002, payload: 1400),
        UdpV4("10.0.5.7", "10.0.9.9", 1900, 40003, payload: 300),
        UdpV4("10.0.5.8", "10.0.9.9", 19, 40004, payload: 512),
        IcmpV4("10.0.1.1", "10.0.9.9", payload: 56),
        IcmpV4("10.0.8.8", "10.0.9.9", payload: 600),
        IcmpV4("10.0.8.9", "10.0.9.9", payload: 512),
        IcmpV6("2001:db8::7", "2001:db8::9", payload: 1000),
        TcpV6("2001:db8::1", "2001:db8::9", 50000, 443, Syn),
        TcpV6("2001:db8::1", "2001:db8::9", 50000, 443, Ack, payload: 64),
        TcpV4("10.0.2.2", "10.0.9.9", 6000, 80, Syn, vlans: 20),
        UdpV6("2001:db8::66", "2001:db8::9", 4000, 53, payload: 20, vlans: 30),
        Arp(),
        Arp(),
        TcpV4("10.0.4.4", "10.0.9.9", 7000, 80, Syn)[..(14 + 12)],
        WithIhl(TcpV4("10.0.4.5", "10.0.9.9", 7001, 80, Syn), 4),
        TcpV4("10.0.4.6", "10.0.9.9", 7002, 80, Syn)[..(14 + 20 + 8)],
        Ethernet(Ipv4Type, Ipv4("10.0.3.3", "10.0.9.9", 47, new byte[24])),
    ];

    /// <summary>What the chain example's three stages see: web traffic, telnet (blocked), an expiring TTL, IPv6, ARP
    /// and a VLAN-tagged frame (which skip the IPv4 rewriter).</summary>
    static readonly byte[][] Chain =
    [
        TcpV4("192.168.1.10", "192.168.1.20", 50000, 80, Syn),
        TcpV4("192.168.1.20", "192.168.1.10", 80, 50000, Syn | Ack, payload: 0),
        TcpV4("192.168.1.10", "192.168.1.20", 50000, 80, Ack | Psh, payload: 300),
        TcpV4("192.168.1.10", "192.168.1.30", 50001, 23, Syn),
        TcpV4("192.168.1.10", "192.168.1.30", 50001, 23, Ack, payload: 10),
        UdpV4("192.168.1.11", "192.168.1.30", 4000, 23, payload: 20),
        Ethernet(Ipv4Type, Ipv4("192.168.1.12", "8.8.8.8", Udp, UdpDatagram(5353, 53, 32), ttl: 1)),
        Ethernet(Ipv4Type, Ipv4("192.168.1.13", "192.168.1.20", Icmp, IcmpEcho(56), ttl: 2)),
        TcpV6("2001:db8::10", "2001:db8::20", 50000, 23, Syn),
        TcpV6("2001:db8::20", "2001:db8::10", 23, 50000, Syn | Ack),
        Arp(),
        TcpV4("192.168.1.14", "192.168.1.20", 50002, 80, Syn, vlans: 5),
    ];

    /// <summary>The frame with its IPv4 header's length field (IHL) set to <paramref name="ihl"/> words.</summary>
    static byte[] WithIhl(byte[] frame, int ihl)
    {
        frame[14] = (byte)(0x40 | ihl);
        return frame;
    }
}
