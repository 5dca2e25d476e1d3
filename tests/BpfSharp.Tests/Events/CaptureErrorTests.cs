using System.Buffers.Binary;
using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>Every corrupt capture gives one <see cref="CaptureFormatException"/> naming the file and the offset.</summary>
public class CaptureErrorTests
{
    static readonly byte[] Tcp = Packets.TcpV4("10.0.0.1", "10.0.0.2", 40000, 80);

    static CaptureFormatException Fails(byte[] file)
    {
        var e = Assert.Throws<CaptureFormatException>(() =>
        {
            using var reader = CaptureReader.Open(new MemoryStream(file), "bad.pcap");
            while (reader.Read(out _)) { }
        });
        Assert.Equal("bad.pcap", e.File);
        Assert.StartsWith($"bad.pcap, file offset 0x{e.FileOffset:x}: ", e.Message);
        return e;
    }

    [Fact]
    public void An_unknown_magic_number_is_named()
    {
        var e = Fails("hello world, not a capture"u8.ToArray());
        Assert.Equal(0, e.FileOffset);
        Assert.Equal("magic number 0x6c6c6568 is neither pcap's (a1b2c3d4, a1b23c4d, either byte order) nor pcapng's (0a0d0d0a)", e.Reason);
        Assert.Equal("this is a gzip file: decompress the capture first", Fails([0x1f, 0x8b, 8, 0, 0, 0]).Reason);
        Assert.Equal("the file is empty: not a pcap or pcapng capture", Fails([]).Reason);
    }

    [Fact]
    public void A_pcap_version_other_than_2_is_refused_at_offset_4()
    {
        var file = PcapTests.Write(false, false);
        file[4] = 3;
        var e = Fails(file);
        Assert.Equal(4, e.FileOffset);
        Assert.Equal("pcap version 3.4 is not 2.x", e.Reason);
    }

    [Fact]
    public void A_file_cut_short_names_where_the_missing_bytes_start()
    {
        var file = PcapTests.Write(false, false);
        var e = Fails(file[..(24 + 16 + 10)]);
        Assert.Equal(24 + 16, e.FileOffset);
        Assert.Equal($"the file ends inside packet 0 ({Tcp.Length} bytes): {Tcp.Length} bytes needed, 10 left (a truncated capture)", e.Reason);
        e = Fails(file[..(24 + 5)]);
        Assert.Equal(24, e.FileOffset);
        Assert.Contains("the file ends inside a record header", e.Reason);
        Assert.Contains("the file ends inside the pcap file header", Fails(file[..10]).Reason);
    }

    [Fact]
    public void A_record_longer_than_the_snap_length_allows_is_corrupt()
    {
        var file = PcapTests.Write(false, false);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24 + 8), 300_000);
        var e = Fails(file);
        Assert.Equal(24 + 8, e.FileOffset);
        Assert.Equal("record 0 claims 300000 captured bytes, more than the snap length 262144 allows (a corrupt file?)", e.Reason);
    }

    [Fact]
    public void Pcapng_structure_errors_name_the_block()
    {
        var good = new PcapNgBuilder().Section().Interface().Enhanced(0, 0, Tcp).ToArray();

        var badMagic = (byte[])good.Clone();
        badMagic[8] = 0;
        Assert.Equal(8, Fails(badMagic).FileOffset);

        var version = (byte[])good.Clone();
        version[12] = 2;
        Assert.Equal("pcapng version 2.0 is not 1.x", Fails(version).Reason);

        var odd = new PcapNgBuilder().Section().Block(1, new byte[8], length: 21).ToArray();
        var e = Fails(odd);
        Assert.Equal(28 + 4, e.FileOffset);
        Assert.Equal("block of type 0x1 has length 21: not a multiple of 4 of at least 12", e.Reason);

        var trailer = new PcapNgBuilder().Section().Block(1, new byte[8], trailer: 24).ToArray();
        e = Fails(trailer);
        Assert.Equal(28 + 16, e.FileOffset);
        Assert.Equal("block at 0x1c ends with length 24, not the 20 it started with", e.Reason);

        var skippedTrailer = new PcapNgBuilder().Section().Block(0xBAD, new byte[8], trailer: 4).ToArray();
        Assert.Contains("ends with length 4", Fails(skippedTrailer).Reason);

        var overlong = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(overlong.AsSpan(28 + 20 + 8 + 12), 1000); // EPB captured length
        e = Fails(overlong);
        Assert.Equal($"packet 0 claims 1000 captured bytes; its block holds {(Tcp.Length + 3) & ~3}", e.Reason);

        var unknownInterface = new PcapNgBuilder().Section().Interface().Enhanced(3, 0, Tcp).ToArray();
        Assert.Equal("packet 0 names interface 3, but the section describes 1", Fails(unknownInterface).Reason);

        var option = new PcapNgBuilder().Section().Block(1, [1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 200, 0]).ToArray();
        Assert.Equal("interface option 9 of 200 bytes runs past its block", Fails(option).Reason);

        var resolution = new PcapNgBuilder().Section().Interface(tsresol: 19).ToArray();
        Assert.Equal("if_tsresol 0x13 is finer than a 64-bit tick count can express", Fails(resolution).Reason);

        Assert.Contains("the file ends inside block 0x6", Fails(good[..^8]).Reason);
    }
}
