namespace BpfSharp.Events;

/// <summary>What a program did with a capture (<see cref="CaptureReplay"/>).</summary>
/// <param name="Packets">Packets read.</param>
/// <param name="Bytes">Their bytes, as run (raw IP framed with an Ethernet header).</param>
/// <param name="Elapsed">Wall time of the replay: reading, running, writing.</param>
/// <param name="Verdicts">Packets per verdict, in order of first appearance.</param>
/// <param name="AcceptedBytes">For socket filters: the bytes their verdicts kept, of the bytes they saw (from the
/// network header); null for other program types.</param>
/// <param name="ProgramsPerPacket">Index n: the packets that went through n + 1 programs (n successful tail calls).</param>
/// <param name="Written">Packets written to the output captures, the redirect targets' included.</param>
/// <param name="NotRun">Packets the test run refused (too short, too long for an XDP frame), not counted in the
/// verdicts.</param>
/// <param name="FirstRefusal">Why the first of those was refused, naming the packet.</param>
/// <param name="Redirected">The captures of the redirect targets, when there was an output.</param>
internal sealed record ReplaySummary(long Packets, long Bytes, TimeSpan Elapsed, IReadOnlyList<VerdictTally> Verdicts,
    long? AcceptedBytes, IReadOnlyList<long> ProgramsPerPacket, long Written, long NotRun, string? FirstRefusal,
    IReadOnlyList<RedirectCapture> Redirected)
{
    /// <summary>Packets per second of wall time.</summary>
    public double PacketsPerSecond => Elapsed > TimeSpan.Zero ? Packets / Elapsed.TotalSeconds : 0;

    /// <summary>CPU time of each worker's thread over the replay (the caller's thread for one job; zero where the
    /// system does not report a thread's CPU time), for throughput per core on a machine shared with other work.</summary>
    internal IReadOnlyList<TimeSpan> WorkerCpuTime { get; init; } = [];
}
