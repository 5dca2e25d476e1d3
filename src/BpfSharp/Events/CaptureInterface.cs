namespace BpfSharp.Events;

/// <summary>An interface packets were captured on: pcap files have one, pcapng files one per interface description
/// block.</summary>
/// <param name="LinkType">What its packets start with.</param>
/// <param name="SnapLength">The most bytes of a packet the capture kept (0: no limit).</param>
/// <param name="TicksPerSecond">Timestamp resolution: 1 000 000 for microseconds, 1 000 000 000 for nanoseconds.</param>
internal readonly record struct CaptureInterface(LinkType LinkType, uint SnapLength, long TicksPerSecond);
