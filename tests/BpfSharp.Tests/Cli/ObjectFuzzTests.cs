using BpfSharp.Cli.Commands;
using BpfSharp.Cli.ObjectFuzz;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp fuzz --objects</c>: malformed variants of objects must load or fail with a named error.</summary>
public class ObjectFuzzTests
{
    static string Fixture(string name) => Path.Combine(Requirements.FixturesDirectory, name);

    [Fact]
    public void A_short_run_on_the_fixtures_finds_only_named_errors()
    {
        var output = new StringWriter();
        var exit = ObjectFuzzCommand.Run([Fixture("maps"), Fixture("alu.o")], 2, seed: 3, jobs: 2, Directory.CreateTempSubdirectory(), output,
            TextWriter.Null, 0);
        Assert.Equal(0, exit);
        Assert.Matches(@"^fuzzing the loader for 2 s with seed 3 \(2 jobs, seeds 3-4\) on \d+ objects\n" +
            @"(\d+) inputs in \d+ s \(\d+/s\): loaded \d+, refused with a named error \d+ \(ObjectFormatException \d+.*\), slow 0, internal errors 0\n$",
            output.ToString());
    }

    [Fact]
    public void An_exception_that_is_not_a_named_error_is_a_failure_with_its_input_written_out()
    {
        var findings = Directory.CreateTempSubdirectory();
        var report = ObjectFuzzer.Run([Fixture("alu.o")], seed: 1, TimeSpan.FromSeconds(0.5), jobs: 1, findings,
            target: (bytes, _, _) =>
            {
                if (bytes.Length % 2 == 0) throw new IndexOutOfRangeException("a reader's bug");
                throw new BpfException("named");
            });
        var failure = Assert.Single(report.Failures);
        Assert.StartsWith("IndexOutOfRangeException ", failure.Signature);
        Assert.Matches(@"^alu\.o, (not )?verified: a reader's bug$", failure.Example);
        Assert.True(File.Exists(failure.Reproducer), failure.Reproducer);
        Assert.Equal(0, report.Loaded);
        Assert.Equal(report.Inputs, report.Refused + report.InternalErrors);
    }

    [Fact]
    public void A_path_that_is_neither_file_nor_directory_is_bad_input()
    {
        var e = Assert.Throws<BpfException>(() => ObjectFuzzCommand.Run(["/no/such/objects"], 1, 1, 1, new DirectoryInfo("."),
            TextWriter.Null, TextWriter.Null, 0));
        Assert.Equal("--objects: /no/such/objects is neither a file nor a directory", e.Message);
    }
}
