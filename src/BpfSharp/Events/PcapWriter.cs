using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>Writes a pcap file (libpcap's format, version 2.4): what <c>bpfsharp pcap --out</c> leaves, and how the
/// tests make their captures. Little-endian microseconds by default, as tcpdump writes on x86 and arm64; the other
/// byte order and nanoseconds on request.</summary>
internal sealed class PcapWriter : IDisposable
{
    readonly Stream stream;
    readonly bool leaveOpen;
    readonly bool bigEndian;
    readonly bool nanoseconds;
    readonly uint snapLength;

    /// <summary>Starts a capture on <paramref name="stream"/> by writing the file header.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="linkType">What every packet starts with.</param>
    /// <param name="snapLength">The most bytes kept of a packet; longer ones are cut (their original length is kept).</param>
    /// <param name="nanoseconds">Nanosecond timestamps (magic a1b23c4d) instead of microseconds.</param>
    /// <param name="bigEndian">Write in big-endian order, as a big-endian machine would.</param>
    /// <param name="leaveOpen">Leave the stream open on dispose.</param>
    public PcapWriter(Stream stream, LinkType linkType = LinkType.Ethernet, uint snapLength = 262144, bool nanoseconds = false,
        bool bigEndian = false, bool leaveOpen = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(snapLength);
        (this.stream, this.leaveOpen, this.bigEndian, this.nanoseconds, this.snapLength) = (stream, leaveOpen, bigEndian, nanoseconds, snapLength);
        Span<byte> header = stackalloc byte[24];
        Put32(header, nanoseconds ? 0xa1b23c4du : 0xa1b2c3d4u);
        Put16(header[4..], 2);
        Put16(header[6..], 4);
        Put32(header[16..], snapLength);
        Put32(header[20..], (uint)linkType);
        stream.Write(header);
    }

    /// <summary>Creates (or replaces) a capture file.</summary>
    public static PcapWriter Create(string path, LinkType linkType = LinkType.Ethernet, bool nanoseconds = false) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20), linkType, nanoseconds: nanoseconds);

    /// <summary>Packets written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Appends a packet captured at <paramref name="timestampNs"/> (nanoseconds since the epoch, not before
    /// it); <paramref name="originalLength"/> is its length on the wire when the bytes are only its start.</summary>
    public void Write(ReadOnlySpan<byte> data, long timestampNs, int originalLength = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestampNs);
        var captured = (uint)Math.Min((uint)data.Length, snapLength);
        var original = (uint)Math.Max(originalLength, data.Length);
        var seconds = timestampNs / 1_000_000_000;
        if (seconds > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(timestampNs), timestampNs, "pcap counts seconds in 32 bits (until 2106)");
        var fraction = timestampNs % 1_000_000_000;
        Span<byte> header = stackalloc byte[16];
        Put32(header, (uint)seconds);
        Put32(header[4..], (uint)(nanoseconds ? fraction : fraction / 1000));
        Put32(header[8..], captured);
        Put32(header[12..], original);
        stream.Write(header);
        stream.Write(data[..(int)captured]);
        Count++;
    }

    /// <summary>Appends a packet as a reader gave it (its timestamp and original length).</summary>
    public void Write(in CapturedPacket packet) => Write(packet.Data.Span, packet.TimestampNs, packet.OriginalLength);

    void Put16(Span<byte> b, ushort v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
    }

    void Put32(Span<byte> b, uint v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
    }

    /// <summary>Flushes what was written.</summary>
    public void Flush() => stream.Flush();

    /// <inheritdoc/>
    public void Dispose()
    {
        stream.Flush();
        if (!leaveOpen) stream.Dispose();
    }
}
