using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Events;

/// <summary>Runs a packet program over every packet of a capture, as if each arrived in turn: its maps carry over
/// from packet to packet, the verdicts are counted, and the packets it lets through (with its rewrites) can be
/// written to a new capture. Raw IP and Linux cooked captures get an Ethernet header first (<see cref="EthernetFraming"/>);
/// a cooked packet with no Ethernet form is counted as not run.</summary>
internal static class CaptureReplay
{
    /// <summary>How often, in packets, <c>progress</c> is called.</summary>
    public const int ProgressInterval = 4096;

    /// <summary>Replays <paramref name="capture"/> through <paramref name="runner"/>.</summary>
    /// <param name="runner">The program.</param>
    /// <param name="capture">The packets, read to the end.</param>
    /// <param name="output">Where delivered packets go (XDP_PASS/TX/REDIRECT, tc verdicts other than SHOT, STOLEN,
    /// QUEUED and TRAP, socket filters' kept bytes after the original Ethernet header), redirected ones to their
    /// target's capture; null for none.</param>
    /// <param name="progress">Called every <see cref="ProgressInterval"/> packets and at the end.</param>
    /// <param name="jobs">Cores to replay on. Above 1, packets are spread over that many worker threads by their flow,
    /// as a NIC's receive-side scaling spreads them over its queues (the Toeplitz hash of addresses and TCP/UDP ports;
    /// packets that are not IP go to worker 0); worker w runs as CPU w, with its own per-CPU map values, while the other
    /// maps are shared. Each flow's packets run in capture order, flows side by side; the summary and the output
    /// captures are in capture order, as one job gives them, and equal to one job's whenever the program's answers do
    /// not depend on the order of packets across flows. At most <see cref="ExecutionSlots.Count"/>.</param>
    /// <exception cref="CaptureFormatException">The capture is corrupt.</exception>
    /// <exception cref="BpfException">A packet's link type cannot be framed, or an unverified program faulted; the
    /// message names the packet and where its record starts.</exception>
    public static ReplaySummary Run(PacketRunner runner, CaptureReader capture, CaptureOutputs? output = null, Action<ReplayProgress>? progress = null,
        int jobs = 1)
    {
        if (jobs < 1 || jobs > ExecutionSlots.Count)
            throw new ArgumentOutOfRangeException(nameof(jobs), jobs,
                $"a replay runs on 1 to {ExecutionSlots.Count} cores: per-CPU maps keep one value for each of the {ExecutionSlots.Count} execution slots");
        return jobs == 1 ? RunHere(runner, capture, output, progress) : ParallelReplay.Run(runner, capture, output, progress, jobs);
    }

    static ReplaySummary RunHere(PacketRunner runner, CaptureReader capture, CaptureOutputs? output, Action<ReplayProgress>? progress)
    {
        var worker = new ReplayWorker(runner, capture.Name) { Output = output };
        long packets = 0;
        var frame = new byte[2048];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = ThreadCpu.Now();
        while (capture.Read(out var packet))
        {
            packets++;
            if (packets % ProgressInterval == 0) progress?.Invoke(new ReplayProgress(packets, capture.Position));
            if (EthernetFraming.Refusal(packet.LinkType, packet.Data.Span) is { } why)
            {
                worker.Tally.Refuse(packet.Index, (packet.Index, packet.FileOffset, why), static s => $"packet {s.Index} (file offset 0x{s.FileOffset:x}): {s.why}");
                continue;
            }
            var length = Frame(packet, ref frame);
            worker.Run(frame.AsSpan(0, length), packet.Index, packet.FileOffset, packet.TimestampNs);
        }
        progress?.Invoke(new ReplayProgress(packets, capture.Position));
        clock.Stop();
        return ReplayTally.Merge([worker.Tally], runner.Program.Type, packets, clock.Elapsed, output?.Redirected ?? [])
            with { WorkerCpuTime = [ThreadCpu.Now() - cpu] };
    }

    /// <summary>The packet as an Ethernet frame in <paramref name="frame"/> (grown when too small); its length.</summary>
    internal static int Frame(in CapturedPacket packet, ref byte[] frame)
    {
        if (!EthernetFraming.CanFrame(packet.LinkType))
            throw new BpfException($"packet {packet.Index} (file offset 0x{packet.FileOffset:x}): link type " +
                $"{EthernetFraming.Describe(packet.LinkType)} cannot be given an Ethernet header (BpfSharp runs Ethernet, raw IP and Linux cooked captures)");
        var length = EthernetFraming.FrameLength(packet.LinkType, packet.Data.Span);
        if (length > frame.Length) frame = new byte[Math.Max(length, frame.Length * 2)];
        return EthernetFraming.Frame(packet.LinkType, packet.Data.Span, frame);
    }
}
