using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

public class PcapNgTests
{
    static readonly byte[] Tcp = Packets.TcpV4("10.0.0.1", "10.0.0.2", 40000, 80);
    static readonly byte[] Udp = Packets.UdpV6("2001:db8::1", "2001:db8::2", 5353, 53);
    static readonly byte[] RawIp = Packets.Ipv4("10.0.0.1", "10.0.0.2", Packets.Udp, Packets.UdpDatagram(1, 2));

    static List<CapturedPacket> Read(byte[] file)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file), "test.pcapng");
        Assert.Equal(CaptureFormat.PcapNg, reader.Format);
        return reader.ReadAll().ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Enhanced_simple_and_obsolete_packet_blocks_are_read_and_other_blocks_skipped(bool bigEndian)
    {
        var file = new PcapNgBuilder().Section(bigEndian)
            .Interface(snapLength: 0)
            .Other(4, [1, 0, 4, 0, 10, 0, 0, 1, (byte)'h', (byte)'o', (byte)'s', (byte)'t', 0, 0, 0, 0, 0, 0, 0, 0]) // name resolution
            .Enhanced(0, 1_700_000_000_000_001, Tcp)
            .Other(0xBAD, [1, 2, 3])                                                  // custom block
            .Simple(Udp)
            .Obsolete(0, 5, Udp)
            .Other(5, new byte[20])                                                   // interface statistics
            .ToArray();
        var packets = Read(file);
        Assert.Equal([Tcp, Udp, Udp], packets.Select(p => p.Data.ToArray()));
        Assert.Equal(1_700_000_000_000_001_000, packets[0].TimestampNs); // microsecond ticks by default
        Assert.Equal(0, packets[1].TimestampNs);                         // simple packet blocks have none
        Assert.Equal(5000, packets[2].TimestampNs);
        Assert.Equal([0L, 1, 2], packets.Select(p => p.Index));
    }

    [Fact]
    public void Each_interface_has_its_own_link_type_resolution_and_offset()
    {
        var file = new PcapNgBuilder().Section()
            .Interface(linkType: 1, tsresol: 9)                     // nanoseconds
            .Interface(linkType: 101, tsresol: 0x8a, tsoffset: 100) // 2^-10 s, 100 s later
            .Enhanced(0, 1_500_000_000_123_456_789, Tcp)
            .Enhanced(1, 3 * 1024 + 512, RawIp)
            .ToArray();
        var packets = Read(file);
        Assert.Equal(LinkType.Ethernet, packets[0].LinkType);
        Assert.Equal(1_500_000_000_123_456_789, packets[0].TimestampNs);
        Assert.Equal(LinkType.Raw, packets[1].LinkType);
        Assert.Equal(1, packets[1].Interface);
        Assert.Equal(103_500_000_000, packets[1].TimestampNs);
    }

    [Fact]
    public void A_second_section_may_change_byte_order_and_starts_without_interfaces()
    {
        var first = new PcapNgBuilder().Section().Interface(linkType: 228).Enhanced(0, 1, RawIp).ToArray();
        var second = new PcapNgBuilder().Section(bigEndian: true).Interface(linkType: 1).Enhanced(0, 2, Tcp).ToArray();
        var packets = Read([.. first, .. second]);
        Assert.Equal(LinkType.Ipv4, packets[0].LinkType);
        Assert.Equal(LinkType.Ethernet, packets[1].LinkType);
        Assert.Equal(Tcp, packets[1].Data.ToArray());
        Assert.Equal(first.Length, packets[1].FileOffset - 28 - 20); // after the second section and interface blocks

        var orphan = new PcapNgBuilder().Section().Interface().Section().Enhanced(0, 1, Tcp).ToArray();
        var e = Assert.Throws<CaptureFormatException>(() => Read(orphan));
        Assert.Contains("names interface 0, but the section describes 0", e.Message);
    }

    [Fact]
    public void Snap_lengths_cut_simple_packets_and_enhanced_blocks_keep_original_lengths()
    {
        var file = new PcapNgBuilder().Section().Interface(snapLength: 20)
            .Simple(Tcp[..20], originalLength: (uint)Tcp.Length)
            .Enhanced(0, 0, Tcp[..20], originalLength: (uint)Tcp.Length)
            .ToArray();
        var packets = Read(file);
        Assert.All(packets, p =>
        {
            Assert.Equal(Tcp[..20], p.Data.ToArray());
            Assert.Equal(Tcp.Length, p.OriginalLength);
            Assert.True(p.IsTruncated);
        });
    }
}
