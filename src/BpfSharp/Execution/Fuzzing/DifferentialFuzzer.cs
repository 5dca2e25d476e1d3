using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>A disagreement, shrunk: the generator's seed and case number that reproduce it, the difference the minimised
/// case still shows, and the case as text. A hang is kept as generated (<see cref="IsMinimized"/> false).</summary>
internal sealed record FuzzFinding(int Seed, int CaseNumber, string Difference, FuzzCase Minimized, string Reproducer, bool IsMinimized = true);

/// <summary>How a session went.</summary>
internal sealed record FuzzReport(int Cases, TimeSpan Elapsed, IReadOnlyList<FuzzFinding> Findings)
{
    public double CasesPerSecond => Cases / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Generates cases and runs each on both engines until a count, a time or enough findings is reached; every
/// disagreement is minimised. Each job is a thread with its own generator (job i has seed + i), runner and invocation,
/// so the cases of a seed are the same whatever the number of jobs. A case that gives no result within the hang limit
/// is a finding too (a hang cannot be minimised or stopped: the session ends, leaving its thread behind).</summary>
internal sealed class DifferentialFuzzer
{
    /// <summary>A case in the works: which, and since when (a <see cref="Stopwatch"/> timestamp).</summary>
    sealed record InFlight(int Seed, int Number, FuzzCase Case, long Since);

    readonly int maxCases;
    readonly TimeSpan duration;
    readonly int maxFindings;
    readonly TimeSpan hangLimit;
    readonly InFlight?[] inFlight;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly List<FuzzFinding> findings = new();
    int started, agreed;
    volatile bool stopping;

    DifferentialFuzzer(int maxCases, TimeSpan duration, int maxFindings, TimeSpan hangLimit, int jobs) =>
        (this.maxCases, this.duration, this.maxFindings, this.hangLimit, inFlight) = (maxCases, duration, maxFindings, hangLimit, new InFlight?[jobs]);

    /// <summary>How often the session looks for a case that hangs.</summary>
    static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <paramref name="maxCases"/>, <paramref name="duration"/> or <paramref name="maxFindings"/>;
    /// every <paramref name="progressInterval"/> hands the count of cases on which the engines agreed so far and the
    /// time to <paramref name="progress"/>, so that a long run that is stopped still tells how far it got. A case that
    /// runs longer than <paramref name="hangLimit"/> (default a minute; every case's runs are bounded by its
    /// instruction budget, so only a helper can hang) ends the session as a finding.</summary>
    public static FuzzReport Run(int seed, int maxCases = int.MaxValue, TimeSpan? duration = null, int maxFindings = 1,
        TimeSpan? progressInterval = null, Action<int, TimeSpan>? progress = null, int jobs = 1, TimeSpan? hangLimit = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var fuzzer = new DifferentialFuzzer(maxCases, duration ?? TimeSpan.MaxValue, maxFindings, hangLimit ?? TimeSpan.FromMinutes(1), jobs);
        var workers = Enumerable.Range(0, jobs)
            .Select(job => Task.Factory.StartNew(() => fuzzer.Work(job, unchecked(seed + job)), TaskCreationOptions.LongRunning))
            .ToArray();
        var interval = progressInterval ?? Timeout.InfiniteTimeSpan;
        var nextProgress = fuzzer.clock.Elapsed + interval;
        try
        {
            while (!Task.WaitAll(workers, interval < WatchInterval && interval > TimeSpan.Zero ? interval : WatchInterval))
            {
                if (fuzzer.Hung() is { } hang)
                {
                    lock (fuzzer.findings) return new FuzzReport(fuzzer.started, fuzzer.clock.Elapsed, [.. fuzzer.findings, hang]);
                }
                if (interval == Timeout.InfiniteTimeSpan || fuzzer.clock.Elapsed < nextProgress) continue;
                progress?.Invoke(Volatile.Read(ref fuzzer.agreed), fuzzer.clock.Elapsed);
                nextProgress += interval;
            }
        }
        catch (AggregateException e)
        {
            // A job that failed (not a disagreement: the engines' own exceptions are outcomes) fails the run as itself.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        lock (fuzzer.findings)
            return new FuzzReport(fuzzer.started, fuzzer.clock.Elapsed, fuzzer.findings.ToList());
    }

    /// <summary>The first case that has run longer than the hang limit, as a finding; the other jobs stop.</summary>
    FuzzFinding? Hung()
    {
        foreach (var current in inFlight)
        {
            if (current is null || Stopwatch.GetElapsedTime(current.Since) <= hangLimit) continue;
            stopping = true;
            var difference = $"no result after {hangLimit.TotalSeconds:0.###} s: a hang";
            return new FuzzFinding(current.Seed, current.Number, difference, current.Case, Minimizer.Describe(current.Case, difference),
                IsMinimized: false);
        }
        return null;
    }

    void Work(int job, int seed)
    {
        try
        {
            Compare(job, seed);
        }
        finally
        {
            stopping = true;
        }
    }

    void Compare(int job, int seed)
    {
        var generator = new ProgramGenerator(seed);
        using var runner = new DifferentialRunner();
        for (var number = 1; !stopping; number++)
        {
            if (clock.Elapsed >= duration) return;
            if (Interlocked.Increment(ref started) > maxCases)
            {
                Interlocked.Decrement(ref started);
                return;
            }
            var fuzzCase = generator.Next();
            Volatile.Write(ref inFlight[job], new InFlight(seed, number, fuzzCase, Stopwatch.GetTimestamp()));
            var difference = runner.Compare(fuzzCase);
            Volatile.Write(ref inFlight[job], null);
            if (difference is null)
            {
                Interlocked.Increment(ref agreed);
                continue;
            }
            // The minimised case must still disagree, not merely fail to load.
            var minimized = Minimizer.Minimize(fuzzCase, c => runner.Compare(c) is { } d && !d.StartsWith(DifferentialRunner.InvalidProgram, StringComparison.Ordinal));
            difference = runner.Compare(minimized) ?? "(the minimised case agrees)";
            lock (findings)
            {
                findings.Add(new FuzzFinding(seed, number, difference, minimized, Minimizer.Describe(minimized, difference)));
                if (findings.Count >= maxFindings) stopping = true;
            }
        }
    }
}
