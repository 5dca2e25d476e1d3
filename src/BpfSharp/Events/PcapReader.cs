using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>libpcap's format: a 24-byte header (magic, version 2.4, zone, sigfigs, snap length, link type) and
/// 16-byte record headers (seconds, micro- or nanoseconds, captured and original length), in the byte order of the
/// machine that wrote it, which the magic number tells.</summary>
internal sealed class PcapReader : CaptureReader
{
    const uint MicroMagic = 0xa1b2c3d4, NanoMagic = 0xa1b23c4d;
    const int HeaderRest = 20, RecordHeader = 16;

    /// <summary>libpcap refuses records longer than this unless the snap length is larger.</summary>
    internal const int MaxSnapLength = 262144;

    /// <summary>Larger than any packet any link carries; a longer record is corruption, not data.</summary>
    internal const int MaxRecord = 16 << 20;

    readonly bool bigEndian;
    readonly long ticksPerSecond;
    readonly CaptureInterface linkInterface;

    public static bool Recognises(uint magic) =>
        magic is MicroMagic or NanoMagic || BinaryPrimitives.ReverseEndianness(magic) is MicroMagic or NanoMagic;

    public PcapReader(CaptureStream input, uint magic) : base(input)
    {
        bigEndian = magic is not (MicroMagic or NanoMagic);
        var native = bigEndian ? BinaryPrimitives.ReverseEndianness(magic) : magic;
        ticksPerSecond = native == NanoMagic ? 1_000_000_000 : 1_000_000;
        var header = input.Read(HeaderRest, "the pcap file header").Span;
        var major = U16(header);
        if (major != 2) throw input.Error(4, $"pcap version {major}.{U16(header[2..])} is not 2.x");
        var snap = U32(header[12..]);
        // Bits 16-31 of the link-type field carry FCS information; the link type is the low 16.
        var link = (LinkType)(U32(header[16..]) & 0xffff);
        linkInterface = new CaptureInterface(link, snap, ticksPerSecond);
        InterfaceList.Add(linkInterface);
    }

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public override bool Read(out CapturedPacket packet)
    {
        var at = Input.Position;
        if (!Input.TryRead(RecordHeader, "a record header", out var headerBytes))
        {
            packet = default;
            return false;
        }
        var header = headerBytes.Span;
        var seconds = U32(header);
        var fraction = U32(header[4..]);
        var captured = U32(header[8..]);
        var original = U32(header[12..]);
        if (captured > MaxRecord || captured > Math.Max(linkInterface.SnapLength, MaxSnapLength))
            throw Input.Error(at + 8, $"record {PacketCount} claims {captured} captured bytes, more than the snap length {linkInterface.SnapLength} allows (a corrupt file?)");
        var data = Input.Read((int)captured, (PacketCount, captured), static p => $"packet {p.PacketCount} ({p.captured} bytes)");
        // Both resolutions divide a second exactly, and 2^32 s in ns fits in a long: no 128-bit division per packet.
        var timestamp = seconds * 1_000_000_000L + fraction * (1_000_000_000L / ticksPerSecond);
        packet = new CapturedPacket(PacketCount++, at, timestamp, (int)Math.Min(Math.Max(original, captured), int.MaxValue),
            linkInterface.LinkType, 0, data);
        return true;
    }

    ushort U16(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
}
