using System.Text;

namespace BpfSharp.TestSummary;

/// <summary>The counts and reasons of one test run, and the text that closes it.</summary>
public sealed class RunTally
{
    readonly Dictionary<string, List<string>> skipsByReason = new(StringComparer.Ordinal);
    readonly List<string> failures = [];
    readonly object gate = new();
    int passed;

    public void Add(Outcome outcome, string test, string? message)
    {
        lock (gate)
        {
            switch (outcome)
            {
                case Outcome.Passed: passed++; break;
                case Outcome.Failed: failures.Add(test); break;
                case Outcome.Skipped:
                    var reason = string.IsNullOrWhiteSpace(message) ? "(no reason given)" : message.Trim();
                    if (!skipsByReason.TryGetValue(reason, out var tests)) skipsByReason[reason] = tests = [];
                    tests.Add(test);
                    break;
            }
        }
    }

    /// <summary>A failure of the run itself (the test host crashed), counted as one failed test.</summary>
    public void AddRunError(string message) => Add(Outcome.Failed, $"the test run: {message}", null);

    /// <summary>Skips grouped by reason, most frequent first, with up to three test names each; the failed tests;
    /// then the closing line.</summary>
    public string Report()
    {
        lock (gate)
        {
            var text = new StringBuilder().AppendLine();
            var skipped = skipsByReason.Values.Sum(t => t.Count);
            if (skipped > 0)
            {
                text.AppendLine($"Skipped {skipped} test{Plural(skipped)}, by reason:");
                foreach (var (reason, tests) in skipsByReason.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.AppendLine($"  {tests.Count,5} × {reason}");
                    var named = tests.Order(StringComparer.Ordinal).ToList();
                    foreach (var test in named.Take(3)) text.AppendLine($"          {test}");
                    if (named.Count > 3) text.AppendLine($"          … and {named.Count - 3} more");
                }
            }
            if (failures.Count > 0)
            {
                text.AppendLine($"Failed {failures.Count} test{Plural(failures.Count)}:");
                foreach (var test in failures.Order(StringComparer.Ordinal)) text.AppendLine($"  {test}");
            }
            return text.AppendLine($"{passed} passed, {failures.Count} failed, {skipped} skipped").ToString();
        }
    }

    static string Plural(int n) => n == 1 ? "" : "s";
}
