using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>A disagreement, shrunk: the generator's seed and case number that reproduce it, the difference the minimised
/// case still shows, and the case as text.</summary>
internal sealed record FuzzFinding(int Seed, int CaseNumber, string Difference, FuzzCase Minimized, string Reproducer);

/// <summary>How a session went.</summary>
internal sealed record FuzzReport(int Cases, TimeSpan Elapsed, IReadOnlyList<FuzzFinding> Findings)
{
    public double CasesPerSecond => Cases / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Generates cases and runs each on both engines until a count, a time or enough findings is reached; every
/// disagreement is minimised. Each job is a thread with its own generator (job i has seed + i), runner and invocation,
/// so the cases of a seed are the same whatever the number of jobs.</summary>
internal sealed class DifferentialFuzzer
{
    readonly int maxCases;
    readonly TimeSpan duration;
    readonly int maxFindings;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly List<FuzzFinding> findings = new();
    int started, agreed;
    volatile bool stopping;

    DifferentialFuzzer(int maxCases, TimeSpan duration, int maxFindings) =>
        (this.maxCases, this.duration, this.maxFindings) = (maxCases, duration, maxFindings);

    /// <summary>Runs until <paramref name="maxCases"/>, <paramref name="duration"/> or <paramref name="maxFindings"/>;
    /// every <paramref name="progressInterval"/> hands the count of cases on which the engines agreed so far and the
    /// time to <paramref name="progress"/>, so that a long run that is stopped still tells how far it got.</summary>
    public static FuzzReport Run(int seed, int maxCases = int.MaxValue, TimeSpan? duration = null, int maxFindings = 1,
        TimeSpan? progressInterval = null, Action<int, TimeSpan>? progress = null, int jobs = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var fuzzer = new DifferentialFuzzer(maxCases, duration ?? TimeSpan.MaxValue, maxFindings);
        var workers = Enumerable.Range(0, jobs)
            .Select(job => Task.Factory.StartNew(() => fuzzer.Work(unchecked(seed + job)), TaskCreationOptions.LongRunning))
            .ToArray();
        var interval = progressInterval ?? Timeout.InfiniteTimeSpan;
        try
        {
            while (!Task.WaitAll(workers, interval))
                progress?.Invoke(Volatile.Read(ref fuzzer.agreed), fuzzer.clock.Elapsed);
        }
        catch (AggregateException e)
        {
            // A job that failed (not a disagreement: the engines' own exceptions are outcomes) fails the run as itself.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        lock (fuzzer.findings)
            return new FuzzReport(fuzzer.started, fuzzer.clock.Elapsed, fuzzer.findings.ToList());
    }

    void Work(int seed)
    {
        try
        {
            Compare(seed);
        }
        finally
        {
            stopping = true;
        }
    }

    void Compare(int seed)
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
            if (runner.Compare(fuzzCase) is null)
            {
                Interlocked.Increment(ref agreed);
                continue;
            }
            // The minimised case must still disagree, not merely fail to load.
            var minimized = Minimizer.Minimize(fuzzCase, c => runner.Compare(c) is { } d && !d.StartsWith(DifferentialRunner.InvalidProgram, StringComparison.Ordinal));
            var difference = runner.Compare(minimized) ?? "(the minimised case agrees)";
            lock (findings)
            {
                findings.Add(new FuzzFinding(seed, number, difference, minimized, Minimizer.Describe(minimized, difference)));
                if (findings.Count >= maxFindings) stopping = true;
            }
        }
    }
}
