using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>Runs packets through one <see cref="PacketRunner"/> and counts what happened to them in its own
/// <see cref="ReplayTally"/>: the per-packet work of a replay, done by the caller's thread for one job and by each
/// worker thread for several.</summary>
internal sealed class ReplayWorker(PacketRunner runner, string captureName)
{
    readonly ProgramType type = runner.Program.Type;

    public PacketRunner Runner => runner;

    public ReplayTally Tally { get; } = new(runner.Program.Type);

    /// <summary>Where delivered packets go; null to count them without writing them.</summary>
    public IDeliveredPackets? Output { get; set; }

    /// <summary>Runs capture packet <paramref name="packet"/>, already framed as Ethernet.</summary>
    /// <exception cref="BpfException">An unverified program faulted; the message names the packet.</exception>
    public void Run(ReadOnlySpan<byte> frame, long packet, long fileOffset, long timestampNs)
    {
        Tally.Bytes += frame.Length;
        try
        {
            var outcome = runner.Run(frame);
            Tally.Count(packet, outcome.ReturnValue, frame.Length, outcome.TailCalls);
            var delivered = outcome.Frame;
            if (type == ProgramType.SocketFilter)
            {
                // It saw the packet from the network header and keeps that many bytes of it.
                var keeps = PacketVerdict.SocketFilterKeeps(outcome.ReturnValue, frame.Length - EthernetFraming.HeaderLength);
                Tally.Accepted += keeps;
                delivered = delivered[..(EthernetFraming.HeaderLength + keeps)];
            }
            if (Output is not null && PacketVerdict.Delivers(type, outcome.ReturnValue))
            {
                Output.Write(packet, PacketVerdict.Redirects(type, outcome.ReturnValue) ? outcome.Redirect : null, delivered,
                    Math.Max(timestampNs, 0), Math.Max(delivered.Length, type == ProgramType.SocketFilter ? frame.Length : 0));
                Tally.Written++;
            }
        }
        catch (InvalidRunException e)
        {
            Tally.Refuse(packet, (packet, fileOffset, e), static s => $"packet {s.packet} (file offset 0x{s.fileOffset:x}): {s.e.Message}");
        }
        catch (BpfRuntimeException e)
        {
            throw new BpfException($"{captureName}: packet {packet} (file offset 0x{fileOffset:x}): {e.Message}", e);
        }
    }
}
