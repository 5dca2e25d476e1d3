using BpfSharp.Events;

namespace BpfSharp.Benchmarks;

/// <summary>A capture of any length for throughput figures: examples/xdp-pipeline/traffic.pcap (every path of the
/// pipeline, and TCP, UDP, ICMP, IPv6, VLAN and ARP for the other examples) over and over, each round's IPv4 sources
/// moved to another /16 so that the rate limiter sees new sources, as the original did, and the verdict mix stays
/// the original's. The IPv4 checksums are left as they were: no example checks them.</summary>
public static class SyntheticCapture
{
    public static void Write(Stream output, long packets)
    {
        var frames = CaptureReader.ReadFile(Prepared.RepositoryFile(Path.Combine("examples", "xdp-pipeline", "traffic.pcap")))
            .Select(p => p.Data.ToArray()).ToList();
        using var writer = new PcapWriter(output, leaveOpen: true);
        var frame = new byte[2048];
        for (long i = 0; i < packets; i++)
        {
            var original = frames[(int)(i % frames.Count)];
            var round = (ushort)(i / frames.Count);
            original.CopyTo(frame, 0);
            if (original.Length >= 34 && original[12] == 0x08 && original[13] == 0x00)
            {
                frame[28] ^= (byte)(round >> 8);
                frame[29] ^= (byte)round;
            }
            writer.Write(frame.AsSpan(0, original.Length), 1_700_000_000_000_000_000 + i * 1000);
        }
    }
}
