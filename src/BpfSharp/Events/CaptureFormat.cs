namespace BpfSharp.Events;

/// <summary>The two capture file formats.</summary>
internal enum CaptureFormat
{
    /// <summary>libpcap's format: one header, then records.</summary>
    Pcap,

    /// <summary>pcapng: blocks, several sections and interfaces.</summary>
    PcapNg,
}
