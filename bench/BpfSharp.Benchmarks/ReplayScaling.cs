using System.Diagnostics;
using System.Globalization;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Benchmarks;

/// <summary><c>dotnet run -c Release -- replay [PACKETS] [RUNS] [OBJECT PROGRAM]</c>: <c>bpfsharp pcap --jobs N</c>'s
/// loop (<see cref="CaptureReplay.Run"/>) over an in-memory <see cref="SyntheticCapture"/> through the xdp-pipeline
/// example (or PROGRAM of OBJECT, e.g. <c>tests/fixtures/pcap/flows.o pass</c> for the replay's own cost) on the JIT, for 1 job and for every core, RUNS times each (alternating). Each line gives wall time and packets/s, the
/// CPU time of every worker thread (the figure a machine shared with other work moves least: packets per second of
/// one worker's CPU is the rate per core), the reading thread's CPU time (several jobs; with one, the worker reads), the
/// whole process's CPU time (the GC and the runtime's compiler thread included), and the bytes allocated (the batches
/// of several jobs; nothing per packet). The load average before the runs is printed first: with other work on the cores,
/// the wall-clock speed-up says little and the CPU figures are the ones to read.</summary>
public static class ReplayScaling
{
    public static void Run(long packets, int runs, string? objectPath, string? program)
    {
        objectPath = objectPath is null ? Prepared.RepositoryFile(Path.Combine("examples", "xdp-pipeline", "xdp_pipeline.o")) : Path.GetFullPath(objectPath);
        program ??= "xdp_parse";
        byte[] capture;
        using (var stream = new MemoryStream())
        {
            SyntheticCapture.Write(stream, packets);
            capture = stream.ToArray();
        }
        Console.WriteLine($"{Path.GetFileName(objectPath)} {program}, JIT, {packets:N0} packets in memory, {ExecutionSlots.Count} execution slots; " +
            $"load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var jobs = Enumerable.Range(1, ExecutionSlots.Count).Where(j => j == 1 || j == ExecutionSlots.Count).ToArray();
        foreach (var j in jobs) Replay(objectPath, program, capture, j, print: false); // JIT and tiering warm-up
        for (var run = 0; run < runs; run++)
            foreach (var j in jobs) Replay(objectPath, program, capture, j, print: true);
    }

    static void Replay(string objectPath, string program, byte[] capture, int jobs, bool print)
    {
        using var obj = BpfObject.Load(objectPath);
        using var runner = PacketRunner.Open(obj.Programs[program], ExecutionEngine.Jit);
        using var reader = CaptureReader.Open(new MemoryStream(capture, writable: false), "synthetic");
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var caller = ThreadCpu.Now();
        var summary = CaptureReplay.Run(runner, reader, jobs: jobs);
        caller = ThreadCpu.Now() - caller;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        if (!print) return;
        var workers = string.Join(" + ", summary.WorkerCpuTime.Select(t => F(t.TotalMilliseconds, "F0")));
        var workerCpu = summary.WorkerCpuTime.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Console.WriteLine($"jobs {jobs}: {F(summary.Elapsed.TotalMilliseconds, "F0")} ms wall, {F(summary.PacketsPerSecond / 1e6, "F2")} M packets/s; " +
            $"workers' CPU {workers} ms = {F(workerCpu.TotalNanoseconds / summary.Packets, "F0")} ns a packet, " +
            $"{F(summary.Packets / workerCpu.TotalSeconds / 1e6, "F2")} M packets/s per core; " +
            (jobs > 1 ? $"reading thread {F(caller.TotalMilliseconds, "F0")} ms; " : "") +
            $"process CPU {F(cpu.TotalMilliseconds, "F0")} ms; {F(allocated / 1024.0, "F0")} KB allocated");
    }

    static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
