namespace BpfSharp.Events;

/// <summary>One packet of a capture file.</summary>
/// <param name="Index">Its position among the file's packets, from 0.</param>
/// <param name="FileOffset">Where its record starts in the file.</param>
/// <param name="TimestampNs">When it was captured: nanoseconds since 1970-01-01 UTC (pcap's seconds and micro- or
/// nanoseconds; pcapng's ticks at the interface's resolution, plus its offset).</param>
/// <param name="OriginalLength">Its length on the wire; more than <c>Data.Length</c> when the capture's snap length
/// cut it.</param>
/// <param name="LinkType">What the bytes start with (the interface's link type).</param>
/// <param name="Interface">The pcapng interface it was captured on (0 for pcap).</param>
/// <param name="Data">The captured bytes. From <see cref="CaptureReader.Read"/> they are valid until the next read;
/// <see cref="CaptureReader.ReadAll"/> gives each packet its own copy.</param>
internal readonly record struct CapturedPacket(long Index, long FileOffset, long TimestampNs, int OriginalLength, LinkType LinkType,
    int Interface, ReadOnlyMemory<byte> Data)
{
    /// <summary>Whether the snap length cut the packet (fewer bytes captured than were on the wire).</summary>
    public bool IsTruncated => Data.Length < OriginalLength;
}
