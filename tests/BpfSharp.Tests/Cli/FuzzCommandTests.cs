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
    public void A_bad_duration_is_refused() =>
        Assert.Throws<BpfException>(() => FuzzCommand.Run(0, seed: 1, new DirectoryInfo("."), new StringWriter()));
}
