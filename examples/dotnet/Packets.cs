using BpfSharp;
using System.Buffers.Binary;

/// <summary>Frames for xdp_pipeline.o: ten TCP SYNs from one source (its budget is 8), the kernel selftests' packet
/// (a TCP segment without flags: a null scan), an NTP reply (UDP source port 123) and an IPv4 frame cut short in its IP header.</summary>
static class Packets
{
    const byte Tcp = 6, Udp = 17;

    public static IEnumerable<byte[]> Sample()
    {
        for (var i = 0; i < 10; i++) yield return Ipv4(source: 0x0a000001, Tcp, SynSegment());
        yield return RunOptions.DefaultPacket;
        yield return Ipv4(source: 0x0a000002, Udp, Datagram(sourcePort: 123, payload: 468));
        yield return Ipv4(source: 0x0a000003, Udp, [])[..24];
    }

    static byte[] Ipv4(uint source, byte protocol, byte[] l4)
    {
        var frame = new byte[14 + 20 + l4.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);          // ETH_P_IP
        frame[14] = 0x45;                                                           // version 4, ihl 5
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)(20 + l4.Length));
        frame[22] = 64;                                                             // ttl
        frame[23] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(26), source);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(30), 0x0a0000fe);        // 10.0.0.254
        l4.CopyTo(frame, 34);
        return frame;
    }

    static byte[] SynSegment()
    {
        var tcp = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), 443);
        tcp[12] = 5 << 4;                                                           // doff 5
        tcp[13] = 0x02;                                                             // SYN
        return tcp;
    }

    static byte[] Datagram(ushort sourcePort, int payload)
    {
        var udp = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        return udp;
    }
}
