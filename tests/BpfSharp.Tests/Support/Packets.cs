using System.Buffers.Binary;
using System.Net;

namespace BpfSharp.Tests.Support;

/// <summary>Builds Ethernet frames with valid IPv4 header and L4 checksums, for captures the tests generate.</summary>
public static class Packets
{
    public const ushort Ipv4Type = 0x0800, Ipv6Type = 0x86dd, VlanType = 0x8100, QinQType = 0x88a8, ArpType = 0x0806;
    public const byte Icmp = 1, Tcp = 6, Udp = 17, Icmpv6 = 58;
    public const byte Syn = 0x02, Ack = 0x10, Fin = 0x01, Rst = 0x04, Psh = 0x08;

    public static readonly byte[] MacA = [0x02, 0, 0, 0, 0, 0x0a], MacB = [0x02, 0, 0, 0, 0, 0x0b];

    /// <summary>An Ethernet frame; each VLAN id given adds an 802.1Q tag (the first outermost).</summary>
    public static byte[] Ethernet(ushort etherType, byte[] payload, params ushort[] vlans)
    {
        var frame = new List<byte>(14 + 4 * vlans.Length + payload.Length);
        frame.AddRange(MacB);
        frame.AddRange(MacA);
        foreach (var vlan in vlans)
        {
            frame.AddRange(BigEndian16(VlanType));
            frame.AddRange(BigEndian16(vlan));
        }
        frame.AddRange(BigEndian16(etherType));
        frame.AddRange(payload);
        return [.. frame];
    }

    /// <summary>An IPv4 packet; <paramref name="options"/> (a multiple of 4 bytes) lengthen the header.</summary>
    public static byte[] Ipv4(string source, string destination, byte protocol, byte[] l4, byte ttl = 64, ushort fragment = 0x4000,
        byte[]? options = null)
    {
        var header = 20 + (options?.Length ?? 0);
        var ip = new byte[header + l4.Length];
        ip[0] = (byte)(0x40 | header / 4);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(6), fragment);
        ip[8] = ttl;
        ip[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(ip, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(ip, 16);
        options?.CopyTo(ip, 20);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(10), Checksum(ip.AsSpan(0, header), 0));
        l4.CopyTo(ip, header);
        FixL4Checksum(protocol, ip.AsSpan(12, 8), ip.AsSpan(header));
        return ip;
    }

    /// <summary>The one's complement checksum of an IPv4 header (RFC 1071), its checksum field included as it is:
    /// 0 for a header whose checksum is right.</summary>
    public static ushort HeaderChecksum(ReadOnlySpan<byte> header) => Checksum(header, 0);

    public static byte[] Ipv6(string source, string destination, byte nextHeader, byte[] l4, byte hopLimit = 64)
    {
        var ip = new byte[40 + l4.Length];
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)l4.Length);
        ip[6] = nextHeader;
        ip[7] = hopLimit;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(ip, 8);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(ip, 24);
        l4.CopyTo(ip, 40);
        FixL4Checksum(nextHeader, ip.AsSpan(8, 32), ip.AsSpan(40));
        return ip;
    }

    public static byte[] TcpSegment(ushort sourcePort, ushort destinationPort, byte flags, int payload = 0)
    {
        var tcp = new byte[20 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), 1000);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 0xffff);
        for (var i = 0; i < payload; i++) tcp[20 + i] = (byte)('a' + i % 26);
        return tcp;
    }

    public static byte[] UdpDatagram(ushort sourcePort, ushort destinationPort, int payload = 0)
    {
        var udp = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        for (var i = 0; i < payload; i++) udp[8 + i] = (byte)i;
        return udp;
    }

    /// <summary>An ICMP (or ICMPv6: type 128) echo request with <paramref name="payload"/> bytes of data.</summary>
    public static byte[] IcmpEcho(int payload = 8, byte type = 8)
    {
        var icmp = new byte[8 + payload];
        icmp[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(4), 0x42);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(6), 1);
        if (type == 8) BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), Checksum(icmp, 0));
        return icmp;
    }

    public static byte[] TcpV4(string source, string destination, ushort sourcePort, ushort destinationPort, byte flags = Syn, int payload = 0, params ushort[] vlans) =>
        Ethernet(Ipv4Type, Ipv4(source, destination, Tcp, TcpSegment(sourcePort, destinationPort, flags, payload)), vlans);

    public static byte[] UdpV4(string source, string destination, ushort sourcePort, ushort destinationPort, int payload = 0, params ushort[] vlans) =>
        Ethernet(Ipv4Type, Ipv4(source, destination, Udp, UdpDatagram(sourcePort, destinationPort, payload)), vlans);

    public static byte[] IcmpV4(string source, string destination, int payload = 8, params ushort[] vlans) =>
        Ethernet(Ipv4Type, Ipv4(source, destination, Icmp, IcmpEcho(payload)), vlans);

    public static byte[] TcpV6(string source, string destination, ushort sourcePort, ushort destinationPort, byte flags = Syn, int payload = 0, params ushort[] vlans) =>
        Ethernet(Ipv6Type, Ipv6(source, destination, Tcp, TcpSegment(sourcePort, destinationPort, flags, payload)), vlans);

    public static byte[] UdpV6(string source, string destination, ushort sourcePort, ushort destinationPort, int payload = 0, params ushort[] vlans) =>
        Ethernet(Ipv6Type, Ipv6(source, destination, Udp, UdpDatagram(sourcePort, destinationPort, payload)), vlans);

    public static byte[] IcmpV6(string source, string destination, int payload = 8, params ushort[] vlans) =>
        Ethernet(Ipv6Type, Ipv6(source, destination, Icmpv6, IcmpEcho(payload, 128)), vlans);

    /// <summary>An ARP request (not IP), 42 bytes.</summary>
    public static byte[] Arp() => Ethernet(ArpType, [0, 1, 8, 0, 6, 4, 0, 1, .. MacA, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);

    static void FixL4Checksum(byte protocol, ReadOnlySpan<byte> addresses, Span<byte> l4)
    {
        var offset = protocol switch { Tcp => 16, Udp => 6, Icmpv6 => 2, _ => -1 };
        if (offset < 0 || l4.Length < offset + 2) return;
        // The pseudo header: addresses, protocol, length.
        var sum = Sum(addresses, 0) + protocol + (uint)l4.Length;
        var checksum = Checksum(l4, sum);
        if (protocol == Udp && checksum == 0) checksum = 0xffff;
        BinaryPrimitives.WriteUInt16BigEndian(l4[offset..], checksum);
    }

    static ushort Checksum(ReadOnlySpan<byte> data, uint seed)
    {
        var sum = Sum(data, seed);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    static uint Sum(ReadOnlySpan<byte> data, uint sum)
    {
        for (var i = 0; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (data.Length % 2 == 1) sum += (uint)data[^1] << 8;
        return sum;
    }

    static byte[] BigEndian16(ushort value) => [(byte)(value >> 8), (byte)value];
}
