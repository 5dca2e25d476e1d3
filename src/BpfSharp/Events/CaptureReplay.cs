using BpfSharp.Isa;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;

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
    /// <exception cref="CaptureFormatException">The capture is corrupt.</exception>
    /// <exception cref="BpfException">A packet's link type cannot be framed, or an unverified program faulted; the
    /// message names the packet and where its record starts.</exception>
    public static ReplaySummary Run(PacketRunner runner, CaptureReader capture, CaptureOutputs? output = null, Action<ReplayProgress>? progress = null)
    {
        var type = runner.Program.Type;
        var verdicts = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var firstSeen = new List<Tally>();
        var programsPerPacket = new long[Bpf.MaxTailCalls + 1];
        long packets = 0, bytes = 0, accepted = 0, written = 0, notRun = 0;
        string? firstRefusal = null;
        var frame = new byte[2048];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (capture.Read(out var packet))
        {
            packets++;
            if (packets % ProgressInterval == 0) progress?.Invoke(new ReplayProgress(packets, capture.Position));
            if (EthernetFraming.Refusal(packet.LinkType, packet.Data.Span) is { } why)
            {
                notRun++;
                firstRefusal ??= $"packet {packet.Index} (file offset 0x{packet.FileOffset:x}): {why}";
                continue;
            }
            var length = Frame(packet, ref frame);
            bytes += length;
            try
            {
                var outcome = runner.Run(frame.AsSpan(0, length));
                var name = PacketVerdict.Name(type, outcome.ReturnValue);
                if (!verdicts.TryGetValue(name, out var tally)) firstSeen.Add(verdicts[name] = tally = new Tally(name, outcome.ReturnValue));
                tally.Packets++;
                tally.Bytes += length;
                programsPerPacket[Math.Min(outcome.TailCalls, Bpf.MaxTailCalls)]++;
                var delivered = outcome.Frame;
                if (type == ProgramType.SocketFilter)
                {
                    // It saw the packet from the network header and keeps that many bytes of it.
                    var keeps = PacketVerdict.SocketFilterKeeps(outcome.ReturnValue, length - EthernetFraming.HeaderLength);
                    accepted += keeps;
                    delivered = delivered[..(EthernetFraming.HeaderLength + keeps)];
                }
                if (output is not null && PacketVerdict.Delivers(type, outcome.ReturnValue))
                {
                    output.Write(PacketVerdict.Redirects(type, outcome.ReturnValue) ? outcome.Redirect : null, delivered,
                        Math.Max(packet.TimestampNs, 0), Math.Max(delivered.Length, type == ProgramType.SocketFilter ? length : 0));
                    written++;
                }
            }
            catch (InvalidRunException e)
            {
                notRun++;
                firstRefusal ??= $"packet {packet.Index} (file offset 0x{packet.FileOffset:x}): {e.Message}";
            }
            catch (BpfRuntimeException e)
            {
                throw new BpfException($"{capture.Name}: packet {packet.Index} (file offset 0x{packet.FileOffset:x}): {e.Message}", e);
            }
        }
        progress?.Invoke(new ReplayProgress(packets, capture.Position));
        clock.Stop();
        var tallies = firstSeen.Select(t => new VerdictTally(t.Name, t.ReturnValue, t.Packets, t.Bytes)).ToList();
        return new ReplaySummary(packets, bytes, clock.Elapsed, tallies, type == ProgramType.SocketFilter ? accepted : null,
            programsPerPacket, written, notRun, firstRefusal, output?.Redirected ?? []);
    }

    sealed class Tally(string name, uint returnValue)
    {
        public string Name { get; } = name;
        public uint ReturnValue { get; } = returnValue;
        public long Packets { get; set; }
        public long Bytes { get; set; }
    }

    /// <summary>The packet as an Ethernet frame in <paramref name="frame"/> (grown when too small); its length.</summary>
    static int Frame(in CapturedPacket packet, ref byte[] frame)
    {
        if (!EthernetFraming.CanFrame(packet.LinkType))
            throw new BpfException($"packet {packet.Index} (file offset 0x{packet.FileOffset:x}): link type " +
                $"{EthernetFraming.Describe(packet.LinkType)} cannot be given an Ethernet header (BpfSharp runs Ethernet, raw IP and Linux cooked captures)");
        var length = EthernetFraming.FrameLength(packet.LinkType, packet.Data.Span);
        if (length > frame.Length) frame = new byte[Math.Max(length, frame.Length * 2)];
        return EthernetFraming.Frame(packet.LinkType, packet.Data.Span, frame);
    }
}
