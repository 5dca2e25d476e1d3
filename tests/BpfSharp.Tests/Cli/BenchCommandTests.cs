using System.Text.Json;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public class BenchCommandTests
{
    static readonly string Drinks = Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o");

    [Fact]
    public void Both_engines_are_timed_with_the_kernels_return_value()
    {
        var (exit, stdout, stderr) = CliProcess.Run(["bench", Drinks, "server2", "--tail-call", "bar:0=serve_drink",
            "--samples", "3", "--repeat", "50", "--json"]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var engines = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["interpreter", "jit"], engines.Select(e => e.GetProperty("engine").GetString()));
        foreach (var e in engines)
        {
            Assert.Equal(0xcafe, e.GetProperty("returnValue").GetInt64()); // Linux 6.18's answer for server2
            Assert.Equal(50, e.GetProperty("runsPerSample").GetInt32());
            var samples = e.GetProperty("samplesNs").EnumerateArray().Select(s => s.GetInt64()).ToList();
            Assert.Equal(3, samples.Count);
            Assert.Equal(samples.Min(), e.GetProperty("minNs").GetInt64());
            Assert.Equal(samples.Order().ElementAt(1), e.GetProperty("medianNs").GetInt64());
            Assert.Equal(samples.Max(), e.GetProperty("maxNs").GetInt64());
        }
    }

    [Fact]
    public void The_table_names_each_engine_and_the_ratio()
    {
        var (exit, stdout, _) = CliProcess.Run(["bench", Drinks, "server1", "--samples", "2", "--repeat", "10"]);
        Assert.Equal(0, exit);
        Assert.Contains("server1: ns per run", stdout);
        Assert.Matches(@"│ interpreter │ 0xf00d │ 10 ", stdout);
        Assert.Matches(@"│ jit         │ 0xf00d │ 10 ", stdout);
        Assert.Contains("interpreter / jit (medians): ", stdout);
    }

    [Fact]
    public void An_unknown_program_is_one_line_and_exit_code_1()
    {
        var (exit, _, stderr) = CliProcess.Run(["bench", Drinks, "nosuch", "--samples", "1"]);
        Assert.Equal(1, exit);
        Assert.StartsWith("bpfsharp: ", stderr);
        Assert.Contains("has no program 'nosuch'", stderr);
        Assert.Equal(1, stderr.Count(c => c == '\n'));
    }
}
