using BpfSharp.Isa;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>What one replay worker counted: verdicts, bytes, programs per packet, refusals. Each verdict and the
/// first refusal remember the packet that first had them, so that the tallies of several workers merge into
/// exactly what one worker would have counted over the whole capture.</summary>
internal sealed class ReplayTally(ProgramType type)
{
    readonly Dictionary<uint, Verdict> verdicts = [];

    public ProgramType Type => type;

    public long[] ProgramsPerPacket { get; } = new long[Bpf.MaxTailCalls + 1];

    public long Bytes { get; set; }

    public long Accepted { get; set; }

    public long Written { get; set; }

    public long NotRun { get; private set; }

    public (long Packet, string Why)? FirstRefusal { get; private set; }

    /// <summary>Counts a packet of <paramref name="length"/> bytes that got <paramref name="returnValue"/> (its bytes are
    /// in <see cref="Bytes"/> already: a packet the test run refuses counts there too).</summary>
    public void Count(long packet, uint returnValue, int length, int tailCalls)
    {
        // A socket filter's verdict is "kept some" or "kept none", whatever length it kept.
        var key = type == ProgramType.SocketFilter ? Math.Min(returnValue, 1u) : returnValue;
        if (!verdicts.TryGetValue(key, out var verdict)) verdicts[key] = verdict = new Verdict(packet, returnValue);
        verdict.Packets++;
        verdict.Bytes += length;
        ProgramsPerPacket[Math.Min(tailCalls, Bpf.MaxTailCalls)]++;
    }

    /// <summary>Counts a packet that could not run; <paramref name="why"/> is formatted only for the first.</summary>
    public void Refuse<TState>(long packet, TState state, Func<TState, string> why)
    {
        NotRun++;
        if (FirstRefusal is not { } first || packet < first.Packet) FirstRefusal = (packet, why(state));
    }

    /// <summary>The tallies of every worker as one, verdicts in the order of the packet that first had each.</summary>
    public static ReplaySummary Merge(IReadOnlyList<ReplayTally> tallies, ProgramType type, long packets, TimeSpan elapsed,
        IReadOnlyList<RedirectCapture> redirected)
    {
        var first = new Dictionary<uint, Verdict>();
        var programsPerPacket = new long[Bpf.MaxTailCalls + 1];
        (long Packet, string Why)? refusal = null;
        foreach (var tally in tallies)
        {
            foreach (var (key, verdict) in tally.verdicts)
            {
                if (!first.TryGetValue(key, out var merged)) first[key] = merged = new Verdict(verdict.FirstPacket, verdict.ReturnValue);
                else if (verdict.FirstPacket < merged.FirstPacket) (merged.FirstPacket, merged.ReturnValue) = (verdict.FirstPacket, verdict.ReturnValue);
                merged.Packets += verdict.Packets;
                merged.Bytes += verdict.Bytes;
            }
            for (var i = 0; i < programsPerPacket.Length; i++) programsPerPacket[i] += tally.ProgramsPerPacket[i];
            if (tally.FirstRefusal is { } r && (refusal is not { } seen || r.Packet < seen.Packet)) refusal = r;
        }
        var ordered = first.Values.OrderBy(v => v.FirstPacket)
            .Select(v => new VerdictTally(PacketVerdict.Name(type, v.ReturnValue), v.ReturnValue, v.Packets, v.Bytes)).ToList();
        return new ReplaySummary(packets, tallies.Sum(t => t.Bytes), elapsed, ordered,
            type == ProgramType.SocketFilter ? tallies.Sum(t => t.Accepted) : null, programsPerPacket,
            tallies.Sum(t => t.Written), tallies.Sum(t => t.NotRun), refusal?.Why, redirected);
    }

    sealed class Verdict(long firstPacket, uint returnValue)
    {
        public long FirstPacket { get; set; } = firstPacket;

        /// <summary>The first packet's: a socket filter's verdict covers every length it kept.</summary>
        public uint ReturnValue { get; set; } = returnValue;

        public long Packets { get; set; }

        public long Bytes { get; set; }
    }
}
