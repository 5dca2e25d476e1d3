using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace BpfSharp.TestSummary;

/// <summary>Ends a test run with what a person needs without extra flags: every skip grouped by its reason (the
/// tests that need root, bpftool, the live kernel or ../shared say so in their reason), each failed test by name,
/// and one closing line <c>N passed, N failed, N skipped</c>.</summary>
[FriendlyName(FriendlyName)]
[ExtensionUri("logger://BpfSharp/TestSummary")]
public sealed class SummaryLogger : ITestLogger
{
    public const string FriendlyName = "bpfsharp-summary";

    readonly RunTally tally = new();

    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        events.TestResult += (_, e) => tally.Add(e.Result.Outcome switch
        {
            TestOutcome.Passed => Outcome.Passed,
            TestOutcome.Skipped or TestOutcome.None or TestOutcome.NotFound => Outcome.Skipped,
            _ => Outcome.Failed,
        }, e.Result.TestCase.DisplayName, e.Result.ErrorMessage);
        events.TestRunComplete += (_, e) =>
        {
            // a test host that crashed reports its tests nowhere: the run must not look green
            if (e.IsAborted || e.Error is not null) tally.AddRunError(e.Error?.Message ?? "the test run was aborted");
            Console.Out.Write(tally.Report());
            Console.Out.Flush();
        };
    }
}
