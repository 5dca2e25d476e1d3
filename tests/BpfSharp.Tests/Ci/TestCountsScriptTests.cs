using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Ci;

/// <summary>.ci/test-counts, which gives CI its closing line and its verdict: it must count a failed test as failed
/// and exit non-zero, whatever else passed.</summary>
public class TestCountsScriptTests
{
    static string Script => Path.Combine(Requirements.RepositoryRoot, ".ci", "test-counts");

    /// <summary>A TRX file as VSTest writes it: one UnitTestResult per test, xunit's skip as NotExecuted. Its
    /// Counters leave the skip out, as VSTest's do.</summary>
    static string Trx(params string[] outcomes) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
        {string.Concat(outcomes.Select((o, i) => $"    <UnitTestResult testName=\"T{i}\" duration=\"00:00:00.01\" outcome=\"{o}\" />\n"))}  </Results>
          <ResultSummary outcome="Completed">
            <Counters total="{outcomes.Length}" executed="{outcomes.Count(o => o != "NotExecuted")}" passed="{outcomes.Count(o => o == "Passed")}" failed="{outcomes.Count(o => o == "Failed")}" />
          </ResultSummary>
        </TestRun>
        """;

    static (int Exit, string LastLine) Count(string trx, string? checks = null)
    {
        using var file = new ScratchFile(".trx");
        File.WriteAllText(file.Path, trx);
        using var log = checks is null ? null : new ScratchFile(".log");
        if (log is not null) File.WriteAllText(log.Path, checks);
        string[] args = [Script, .. log is null ? [] : new[] { "--checks", log.Path }, file.Path];
        var (exit, stdout, _) = Requirements.Run("bash", args);
        return (exit, stdout.TrimEnd('\n').Split('\n')[^1]);
    }

    [Fact]
    public void A_failed_test_is_counted_and_the_exit_code_is_1()
    {
        Assert.Equal((1, "2 passed, 1 failed, 1 skipped"), Count(Trx("Passed", "Failed", "NotExecuted", "Passed")));
    }

    [Fact]
    public void Passed_and_skipped_tests_alone_exit_0()
    {
        Assert.Equal((0, "2 passed, 0 failed, 1 skipped"), Count(Trx("Passed", "NotExecuted", "Passed")));
    }

    [Fact]
    public void Errors_timeouts_and_aborts_count_as_failed()
    {
        Assert.Equal((1, "1 passed, 3 failed, 0 skipped"), Count(Trx("Passed", "Error", "Timeout", "Aborted")));
    }

    [Fact]
    public void A_run_where_no_test_ran_fails()
    {
        Assert.Equal((1, "0 passed, 0 failed, 2 skipped"), Count(Trx("NotExecuted", "NotExecuted")));
    }

    [Fact]
    public void The_arm64_checks_add_their_ok_FAIL_and_SKIPPED_lines()
    {
        Assert.Equal((1, "3 passed, 1 failed, 0 skipped"),
            Count(Trx("Passed"), "ok   conformance suite (jit)\nFAIL drinks server2 (jit): wanted 'x', got: y\nok   z\n"));
        Assert.Equal((0, "1 passed, 0 failed, 1 skipped"),
            Count(Trx("Passed"), "arm64-check: SKIPPED: qemu-aarch64-static is not installed\n"));
    }
}
