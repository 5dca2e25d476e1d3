using System.Diagnostics;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>A disagreement, shrunk: the difference the minimised case still shows and the case as text.</summary>
internal sealed record FuzzFinding(int CaseNumber, string Difference, FuzzCase Minimized, string Reproducer);

/// <summary>How a session went.</summary>
internal sealed record FuzzReport(int Cases, TimeSpan Elapsed, IReadOnlyList<FuzzFinding> Findings)
{
    public double CasesPerSecond => Cases / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Generates cases from a seed and runs each on both engines until a count or a time is reached; every
/// disagreement is minimised.</summary>
internal static class DifferentialFuzzer
{
    /// <summary>Runs until <paramref name="maxCases"/>, <paramref name="duration"/> or <paramref name="maxFindings"/>;
    /// every <paramref name="progressInterval"/> hands the cases so far and the time to <paramref name="progress"/>,
    /// so that a long run that is stopped still tells how far it got.</summary>
    public static FuzzReport Run(int seed, int maxCases = int.MaxValue, TimeSpan? duration = null, int maxFindings = 1,
        TimeSpan? progressInterval = null, Action<int, TimeSpan>? progress = null)
    {
        var generator = new ProgramGenerator(seed);
        using var runner = new DifferentialRunner();
        var findings = new List<FuzzFinding>();
        var clock = Stopwatch.StartNew();
        var cases = 0;
        var nextProgress = progressInterval ?? TimeSpan.MaxValue;
        while (cases < maxCases && (duration is null || clock.Elapsed < duration) && findings.Count < maxFindings)
        {
            if (clock.Elapsed >= nextProgress)
            {
                progress?.Invoke(cases, clock.Elapsed);
                nextProgress += progressInterval!.Value;
            }
            var fuzzCase = generator.Next();
            cases++;
            if (runner.Compare(fuzzCase) is null) continue;
            // The minimised case must still disagree, not merely fail to load.
            var minimized = Minimizer.Minimize(fuzzCase, c => runner.Compare(c) is { } d && !d.StartsWith(DifferentialRunner.InvalidProgram, StringComparison.Ordinal));
            var difference = runner.Compare(minimized) ?? "(the minimised case agrees)";
            findings.Add(new FuzzFinding(cases, difference, minimized, Minimizer.Describe(minimized, difference)));
        }
        return new FuzzReport(cases, clock.Elapsed, findings);
    }
}
