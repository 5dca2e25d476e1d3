using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

public class PcapTests
{
    static readonly byte[][] Frames =
    [
        Packets.TcpV4("10.0.0.1", "10.0.0.2", 40000, 80),
        Packets.UdpV6("2001:db8::1", "2001:db8::2", 5353, 53, payload: 30),
        Packets.Arp(),
    ];

    /// <summary>1 700 000 000.123456789 s, then 1 µs and 1 ns later.</summary>
    static readonly long[] Times = [1_700_000_000_123_456_789, 1_700_000_000_123_457_789, 1_700_000_000_123_457_790];

    internal static byte[] Write(bool nanoseconds, bool bigEndian, uint snapLength = 262144, LinkType link = LinkType.Ethernet,
        IEnumerable<byte[]>? frames = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, link, snapLength, nanoseconds, bigEndian, leaveOpen: true))
        {
            var i = 0;
            foreach (var frame in frames ?? Frames) writer.Write(frame, Times[i++ % Times.Length]);
        }
        return stream.ToArray();
    }

    static List<CapturedPacket> Read(byte[] file)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file), "test.pcap");
        return reader.ReadAll().ToList();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Every_byte_order_and_resolution_reads_back_what_was_written(bool nanoseconds, bool bigEndian)
    {
        var file = Write(nanoseconds, bigEndian);
        Assert.Equal(bigEndian ? (byte)0xa1 : (nanoseconds ? (byte)0x4d : (byte)0xd4), file[0]);
        var packets = Read(file);
        Assert.Equal(3, packets.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Frames[i], packets[i].Data.ToArray());
            Assert.Equal(i, packets[i].Index);
            Assert.Equal(LinkType.Ethernet, packets[i].LinkType);
            Assert.Equal(Frames[i].Length, packets[i].OriginalLength);
            Assert.False(packets[i].IsTruncated);
            // microseconds drop the last three digits
            Assert.Equal(nanoseconds ? Times[i] : Times[i] / 1000 * 1000, packets[i].TimestampNs);
        }
        Assert.Equal(24, packets[0].FileOffset);
        Assert.Equal(24 + 16 + Frames[0].Length, packets[1].FileOffset);
    }

    [Fact]
    public void A_snap_length_cuts_packets_and_keeps_their_original_length()
    {
        var packets = Read(Write(false, false, snapLength: 40));
        Assert.Equal(Frames[0][..40], packets[0].Data.ToArray());
        Assert.Equal(Frames[0].Length, packets[0].OriginalLength);
        Assert.True(packets[0].IsTruncated);
        using var reader = CaptureReader.Open(new MemoryStream(Write(false, false, snapLength: 40)), "x");
        Assert.Equal(new CaptureInterface(LinkType.Ethernet, 40, 1_000_000), reader.Interfaces.Single());
        Assert.Equal(CaptureFormat.Pcap, reader.Format);
    }

    [Fact]
    public void The_link_type_field_keeps_only_its_low_16_bits()
    {
        var file = Write(false, false, link: LinkType.Raw);
        file[22] = 0x12; // FCS information in the upper bits
        Assert.All(Read(file), p => Assert.Equal(LinkType.Raw, p.LinkType));
    }

    [Fact]
    public void Read_reuses_one_buffer_and_ReadAll_copies()
    {
        using var reader = CaptureReader.Open(new MemoryStream(Write(false, false)), "x");
        Assert.True(reader.Read(out var first));
        Assert.Equal(Frames[0], first.Data.ToArray());
        Assert.True(reader.Read(out var second));
        Assert.Equal(Frames[1], second.Data.ToArray());
        Assert.True(reader.Read(out _));
        Assert.False(reader.Read(out _));
        Assert.False(reader.Read(out _));
    }

    [Fact]
    public void Files_are_read_from_disk_and_written_by_Create()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bpfsharp-{Guid.NewGuid():N}.pcap");
        try
        {
            using (var writer = PcapWriter.Create(path, nanoseconds: true))
                foreach (var frame in Frames) writer.Write(frame, Times[0]);
            var packets = CaptureReader.ReadFile(path);
            Assert.Equal(Frames, packets.Select(p => p.Data.ToArray()));
            Assert.All(packets, p => Assert.Equal(Times[0], p.TimestampNs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Many_records_cross_the_read_buffer_and_a_large_one_grows_it()
    {
        var frames = Enumerable.Range(0, 5000).Select(i => Packets.UdpV4("10.0.0.1", "10.0.0.2", (ushort)i, 53, i % 300)).ToList();
        frames.Add(new byte[200_000]);
        var packets = Read(Write(false, false, frames: frames));
        Assert.Equal(frames.Count, packets.Count);
        for (var i = 0; i < frames.Count; i++) Assert.Equal(frames[i], packets[i].Data.ToArray());
    }
}
