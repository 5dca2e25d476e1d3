using BpfSharp.Cli.Commands;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp fuzz</c>: a short run reports its rate and finds the engines agreeing.</summary>
public class FuzzCommandTests
{
    [Fact]
    public void A_short_run_reports_programs_per_second_and_no_mismatch()
    {
        var output = new StringWriter();
        var exit = FuzzCommand.Run(1, seed: 5, new DirectoryInfo(Path.GetTempPath()), output);
        Assert.Equal(0, exit);
        Assert.Matches(@"^fuzzing for 1 s with seed 5\n\d+ programs in \d+\.\d s: \d+ programs/s, 0 mismatches\n$", output.ToString());
    }

    [Fact]
    public void Json_reports_the_seed_the_count_and_no_mismatch()
    {
        var output = new StringWriter();
        Assert.Equal(0, FuzzCommand.Run(0.5, seed: 7, new DirectoryInfo(Path.GetTempPath()), output, json: true));
        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal(7, doc.RootElement.GetProperty("seed").GetInt32());
        Assert.True(doc.RootElement.GetProperty("programs").GetInt32() > 0);
        Assert.Equal(0, doc.RootElement.GetProperty("mismatches").GetArrayLength());
    }

    [Fact]
    public void Progress_lines_count_the_programs_so_far_on_their_own_writer()
    {
        var output = new StringWriter();
        var progress = new StringWriter();
        Assert.Equal(0, FuzzCommand.Run(1, seed: 5, new DirectoryInfo(Path.GetTempPath()), output, progress: progress, progressSeconds: 0.25));
        var lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 2, 4);
        Assert.All(lines, line => Assert.Matches(@"^seed 5: the engines agreed on \d+ programs in \d+ s \(\d+ programs/s\)$", line));
        Assert.DoesNotContain("agreed on", output.ToString());
    }

    [Fact]
    public void Jobs_run_side_by_side_each_with_its_own_seed()
    {
        var output = new StringWriter();
        Assert.Equal(0, FuzzCommand.Run(1, seed: 5, new DirectoryInfo(Path.GetTempPath()), output, jobs: 2));
        Assert.Matches(@"^fuzzing for 1 s with seeds 5-6 \(2 jobs\)\n\d+ programs in \d+\.\d s: \d+ programs/s, 0 mismatches\n$", output.ToString());
        Assert.Throws<BpfException>(() => FuzzCommand.Run(1, seed: 5, new DirectoryInfo("."), new StringWriter(), jobs: 0));
    }

    [Fact]
    public void A_bad_duration_is_refused() =>
        Assert.Throws<BpfException>(() => FuzzCommand.Run(0, seed: 1, new DirectoryInfo("."), new StringWriter()));
}
