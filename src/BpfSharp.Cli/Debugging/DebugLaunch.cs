using BpfSharp.Cli.Commands;
using BpfSharp.Debugging;
using BpfSharp.Events;
using BpfSharp.Loading;

namespace BpfSharp.Cli.Debugging;

/// <summary>What a debug session runs, as the prompt's command line and a DAP launch request both say it: an object's
/// program with the run options of <c>run</c>, over a packet file or packet N of a capture.</summary>
/// <param name="Run">The object, the program and its input, as <c>bpfsharp run</c> takes them.</param>
/// <param name="Capture">A .pcap or .pcapng capture whose packet <paramref name="Packet"/> is the run's data_in.</param>
/// <param name="Packet">Which packet of the capture, from 1 (as Wireshark numbers them).</param>
internal sealed record DebugLaunch(ObjectRun.Options Run, string? Capture = null, int Packet = 1)
{
    /// <summary>Loads the object, fills its slots and globals, and opens a session on the program; the caller disposes
    /// both.</summary>
    public (BpfObject Object, DebugSession Session) Open()
    {
        var (obj, program, dataIn) = ObjectRun.Prepare(Run);
        try
        {
            if (Capture is not null) dataIn = PacketOf(Capture, Packet);
            return (obj, new DebugSession(obj, program, ObjectRun.RunOptions(Run, dataIn)));
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    static byte[] PacketOf(string capture, int number)
    {
        if (number < 1) throw new BpfException($"--packet {number}: packets are numbered from 1");
        using var reader = CaptureReader.Open(capture);
        var seen = 0;
        foreach (var packet in reader.ReadAll())
            if (++seen == number) return packet.Data.ToArray();
        throw new BpfException($"{Path.GetFileName(capture)} has {seen} packets, not {number}");
    }
}
