using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public class ConformanceCommandTests
{
    [TheoryRequires(Requirement.Shared)]
    [InlineData("interpreter")]
    [InlineData("jit")]
    public void The_whole_suite_passes_in_one_process(string engine)
    {
        var (exit, stdout, stderr) = CliProcess.Run(["conformance", Path.Combine(Requirements.SharedDirectory, "conformance", "tests"), "--engine", engine]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal($"313/313 passed on the {engine}\n", stdout);
    }

    [FactRequires(Requirement.Shared)]
    public void A_wrong_r0_is_named_with_both_values_and_exits_2()
    {
        // The suite's own check of runners: ldxdw reads mem[2..10] = 0x8877665544332211, the file expects 0x89...
        var file = Path.Combine(Requirements.SharedDirectory, "conformance", "negative", "incorrect_return_value_high_bits.data");
        var (exit, stdout, _) = CliProcess.Run(["conformance", file]);
        Assert.Equal(2, exit);
        Assert.Equal("FAIL incorrect_return_value_high_bits.data: r0 0x8877665544332211, expected 0x8977665544332211\n" +
            "0/1 passed on the interpreter\n", stdout);
    }

    [Fact]
    public void A_file_expecting_an_error_passes_when_the_run_fails_and_fails_when_it_does_not()
    {
        var directory = Directory.CreateTempSubdirectory("bpfsharp-conformance-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "a-faults.data"), "-- asm\nldxdw %r0, [%r1+64]\nexit\n-- mem\n00 00\n-- error\nout of bounds\n");
            File.WriteAllText(Path.Combine(directory.FullName, "b-returns.data"), "-- asm\nmov %r0, 1\nexit\n-- error\nout of bounds\n");
            File.WriteAllText(Path.Combine(directory.FullName, "c-no-result.data"), "-- asm\nmov %r0, 1\nexit\n");
            var (exit, stdout, _) = CliProcess.Run(["conformance", directory.FullName, "--engine", "jit"]);
            Assert.Equal(2, exit);
            Assert.Equal("FAIL b-returns.data: r0 0x1, expected an error (out of bounds)\n" +
                "1/2 passed on the jit (1 skipped as the suite skips them: no result, no error or no instructions)\n", stdout);
        }
        finally { directory.Delete(recursive: true); }
    }

    [Fact]
    public void A_path_without_data_files_is_bad_input()
    {
        var directory = Directory.CreateTempSubdirectory("bpfsharp-conformance-");
        try
        {
            var (exit, _, stderr) = CliProcess.Run(["conformance", directory.FullName]);
            Assert.Equal(1, exit);
            Assert.Equal($"bpfsharp: no .data file in {directory.FullName}\n", stderr);
        }
        finally { directory.Delete(recursive: true); }
    }
}
