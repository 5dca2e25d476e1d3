using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>Reads the packets of a pcap or pcapng file (either byte order; pcap in micro- or nanoseconds; pcapng
/// sections, interfaces and enhanced, simple and obsolete packet blocks, other blocks skipped). A corrupt or cut
/// file gives a <see cref="CaptureFormatException"/> naming the offset, never another exception.</summary>
internal abstract class CaptureReader : IDisposable
{
    const uint PcapNgSectionHeader = 0x0A0D0D0A;
    const uint Gzip = 0x8b1f; // what a .pcap.gz starts with, read little-endian

    private protected CaptureReader(CaptureStream input) => Input = input;

    private protected CaptureStream Input { get; }

    private protected List<CaptureInterface> InterfaceList { get; } = [];

    private protected long PacketCount { get; set; }

    /// <summary>Opens a capture file, telling pcap from pcapng by its first bytes.</summary>
    public static CaptureReader Open(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), path);

    /// <summary>Reads a capture from a stream; <paramref name="name"/> is what error messages call it.</summary>
    public static CaptureReader Open(Stream stream, string name, bool leaveOpen = false)
    {
        var input = new CaptureStream(stream, name, leaveOpen);
        try
        {
            if (!input.TryRead(4, "the file's magic number", out var magic))
                throw input.Error(0, "the file is empty: not a pcap or pcapng capture");
            var value = BinaryPrimitives.ReadUInt32LittleEndian(magic.Span);
            if (value == PcapNgSectionHeader) return new PcapNgReader(input);
            if (PcapReader.Recognises(value)) return new PcapReader(input, value);
            if ((ushort)value == Gzip) throw input.Error(0, "this is a gzip file: decompress the capture first");
            throw input.Error(0, $"magic number 0x{value:x8} is neither pcap's (a1b2c3d4, a1b23c4d, either byte order) nor pcapng's (0a0d0d0a)");
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>pcap or pcapng.</summary>
    public abstract CaptureFormat Format { get; }

    /// <summary>What error messages call the capture.</summary>
    public string Name => Input.Name;

    /// <summary>Bytes read so far, for progress.</summary>
    public long Position => Input.Position;

    /// <summary>The file's length, when the stream knows it.</summary>
    public long? Length => Input.Length;

    /// <summary>The interfaces described so far (a pcap file's one; pcapng's as their blocks are read).</summary>
    public IReadOnlyList<CaptureInterface> Interfaces => InterfaceList;

    /// <summary>Reads the next packet; false at the end of the file. The packet's bytes are valid until the next
    /// call (one buffer serves every packet).</summary>
    /// <exception cref="CaptureFormatException">The file is corrupt or ends inside a record.</exception>
    public abstract bool Read(out CapturedPacket packet);

    /// <summary>Every remaining packet, each with its own copy of the bytes.</summary>
    public IEnumerable<CapturedPacket> ReadAll()
    {
        while (Read(out var packet))
            yield return packet with { Data = packet.Data.ToArray() };
    }

    /// <summary>Reads a whole capture file into memory.</summary>
    public static IReadOnlyList<CapturedPacket> ReadFile(string path)
    {
        using var reader = Open(path);
        return reader.ReadAll().ToList();
    }

    /// <summary>Seconds and sub-second ticks to nanoseconds since the epoch, saturating instead of overflowing for
    /// the absurd values a corrupt file may hold.</summary>
    private protected static long Nanoseconds(Int128 ticks, long ticksPerSecond, Int128 offsetSeconds)
    {
        var ns = ticks * 1_000_000_000 / ticksPerSecond + offsetSeconds * 1_000_000_000;
        return ns > long.MaxValue ? long.MaxValue : ns < long.MinValue ? long.MinValue : (long)ns;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Input.Dispose();
        GC.SuppressFinalize(this);
    }
}
