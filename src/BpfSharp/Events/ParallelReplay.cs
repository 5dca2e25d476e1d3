using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Events;

/// <summary>A capture replayed on several cores, as a NIC with receive-side scaling spreads packets over its queues:
/// the calling thread reads and frames every packet and hands it to worker <see cref="FlowHash.Worker"/>, each worker
/// thread runs its packets in capture order as execution slot (CPU) w, so per-CPU map values and
/// <c>bpf_get_smp_processor_id</c> are the worker's, while shared maps are shared as on a real machine. Packets go out
/// in rounds: a round's batches, one per worker, are merged back in capture order once every worker has run its own,
/// so the output captures hold the delivered packets in the order one worker would write them.</summary>
internal sealed class ParallelReplay : IDisposable
{
    /// <summary>Packets read before a round goes to the workers: enough to make a hand-over rare beside the runs.</summary>
    const int RoundPackets = 1024;

    /// <summary>Rounds the workers may be behind the reader: memory stays bounded, and a slow worker holds the rest
    /// up only that far.</summary>
    const int RoundsInFlight = 8;

    readonly ReplayWorker[] workers;
    readonly PacketRunner[] opened;
    readonly int? callerCpu;
    readonly BlockingCollection<PacketBatch>[] queues;
    readonly Thread[] threads;
    readonly TimeSpan[] cpuTime;
    readonly Queue<PacketBatch[]> inFlight = new();
    readonly Stack<PacketBatch> free = new();
    readonly CaptureReader capture;
    readonly CaptureOutputs? output;
    readonly Func<bool> stopping;
    volatile bool failed;

    ParallelReplay(PacketRunner runner, CaptureReader capture, CaptureOutputs? output, int jobs)
    {
        (this.capture, this.output) = (capture, output);
        stopping = () => failed;
        // The caller's runner is worker 0, on CPU 0 for the replay; the others get runners of their own.
        callerCpu = runner.Cpu;
        runner.Cpu = 0;
        opened = new PacketRunner[jobs - 1];
        workers = new ReplayWorker[jobs];
        workers[0] = new ReplayWorker(runner, capture.Name);
        queues = new BlockingCollection<PacketBatch>[jobs];
        threads = new Thread[jobs];
        cpuTime = new TimeSpan[jobs];
        try
        {
            for (var w = 1; w < jobs; w++)
            {
                opened[w - 1] = PacketRunner.Open(runner.Program, runner.Engine);
                opened[w - 1].Cpu = w;
                workers[w] = new ReplayWorker(opened[w - 1], capture.Name);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        for (var w = 0; w < jobs; w++)
        {
            queues[w] = new BlockingCollection<PacketBatch>(new ConcurrentQueue<PacketBatch>());
            var worker = w;
            threads[w] = new Thread(() => Work(worker)) { IsBackground = true, Name = $"bpfsharp cpu {w}" };
        }
    }

    /// <summary>Replays <paramref name="capture"/> on <paramref name="jobs"/> workers (see <see cref="CaptureReplay.Run"/>).</summary>
    public static ReplaySummary Run(PacketRunner runner, CaptureReader capture, CaptureOutputs? output, Action<ReplayProgress>? progress, int jobs)
    {
        using var replay = new ParallelReplay(runner, capture, output, jobs);
        return replay.Run(progress);
    }

    ReplaySummary Run(Action<ReplayProgress>? progress)
    {
        var reader = new ReplayTally(workers[0].Runner.Program.Type);
        var clock = Stopwatch.StartNew();
        foreach (var thread in threads) thread.Start();
        long packets = 0;
        var scratch = new byte[2048];
        var round = TakeRound();
        var inRound = 0;
        try
        {
            while (!failed && capture.Read(out var packet))
            {
                packets++;
                if (packets % CaptureReplay.ProgressInterval == 0) progress?.Invoke(new ReplayProgress(packets, capture.Position));
                if (EthernetFraming.Refusal(packet.LinkType, packet.Data.Span) is { } why)
                {
                    reader.Refuse(packet.Index, (packet.Index, packet.FileOffset, why), static s => $"packet {s.Index} (file offset 0x{s.FileOffset:x}): {s.why}");
                    continue;
                }
                PacketBatch batch;
                int length;
                if (packet.LinkType == LinkType.Ethernet)
                {
                    // The frame as captured: hashed where it lies and copied once, into the worker's batch.
                    length = packet.Data.Length;
                    batch = round[FlowHash.Worker(packet.Data.Span, workers.Length)];
                    packet.Data.Span.CopyTo(batch.Reserve(length));
                }
                else
                {
                    length = CaptureReplay.Frame(packet, ref scratch);
                    batch = round[FlowHash.Worker(scratch.AsSpan(0, length), workers.Length)];
                    scratch.AsSpan(0, length).CopyTo(batch.Reserve(length));
                }
                batch.Add(packet.Index, packet.FileOffset, packet.TimestampNs, length);
                if (++inRound == RoundPackets)
                {
                    Post(round);
                    (round, inRound) = (TakeRound(), 0);
                }
            }
            Post(round);
            while (inFlight.Count > 0) Complete(inFlight.Dequeue());
        }
        finally
        {
            Stop();
        }
        progress?.Invoke(new ReplayProgress(packets, capture.Position));
        clock.Stop();
        return ReplayTally.Merge([reader, .. workers.Select(w => w.Tally)], reader.Type, packets, clock.Elapsed, output?.Redirected ?? [])
            with { WorkerCpuTime = cpuTime };
    }

    PacketBatch[] TakeRound()
    {
        var round = new PacketBatch[workers.Length];
        for (var w = 0; w < round.Length; w++) round[w] = free.Count > 0 ? free.Pop() : new PacketBatch();
        return round;
    }

    void Post(PacketBatch[] round)
    {
        for (var w = 0; w < round.Length; w++) queues[w].Add(round[w]);
        inFlight.Enqueue(round);
        if (inFlight.Count >= RoundsInFlight) Complete(inFlight.Dequeue());
    }

    /// <summary>Waits for a round, writes what its workers delivered in capture order, and recycles its batches.</summary>
    void Complete(PacketBatch[] round)
    {
        foreach (var batch in round) batch.Done.Wait();
        if (round.Select(b => b.Failure).Where(f => f is not null).MinBy(f => f!.Value.Packet) is { } failure)
        {
            // The worker's exception, with the worker's stack.
            if (failure.Error is BpfException) ExceptionDispatchInfo.Throw(failure.Error);
            throw new BpfException($"{capture.Name}: packet {failure.Packet}: {failure.Error.Message}", failure.Error);
        }
        if (output is not null) Merge(round, output);
        foreach (var batch in round)
        {
            batch.Reset();
            free.Push(batch);
        }
    }

    static void Merge(PacketBatch[] round, CaptureOutputs output)
    {
        Span<int> next = stackalloc int[round.Length];
        while (true)
        {
            var from = -1;
            for (var w = 0; w < round.Length; w++)
                if (next[w] < round[w].Delivered.Count
                    && (from < 0 || round[w].Delivered.PacketAt(next[w]) < round[from].Delivered.PacketAt(next[from])))
                    from = w;
            if (from < 0) return;
            round[from].Delivered.WriteTo(next[from]++, output);
        }
    }

    void Work(int w)
    {
        var start = ThreadCpu.Now();
        foreach (var batch in queues[w].GetConsumingEnumerable())
        {
            if (!failed)
            {
                batch.Run(workers[w], stopping, keep: output is not null);
                if (batch.Failure is not null) failed = true;
            }
            batch.Done.Set();
        }
        cpuTime[w] = ThreadCpu.Now() - start;
    }

    /// <summary>Lets the workers finish what they hold (or skip it after a failure) and waits for them.</summary>
    void Stop()
    {
        foreach (var queue in queues) queue?.CompleteAdding();
        foreach (var thread in threads) if (thread is { IsAlive: true }) thread.Join();
    }

    public void Dispose()
    {
        Stop();
        foreach (var queue in queues) queue?.Dispose();
        foreach (var runner in opened) runner?.Dispose();
        workers[0].Runner.Cpu = callerCpu;
    }
}
