using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public class RunCommandTests
{
    [Fact]
    public void Runs_the_shipped_example_and_reports_the_match()
    {
        var (exit, stdout, _) = CliProcess.Run(["run", Path.Combine(Requirements.RepositoryRoot, "examples", "conformance", "add.data")]);
        Assert.Equal(0, exit);
        Assert.Equal("r0 = 3 (0x3), 7 instructions executed\nmatches the expected result 0x3\n", stdout);
    }
}
