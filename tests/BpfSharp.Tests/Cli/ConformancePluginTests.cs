using BpfSharp.Cli.Commands;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary>`bpfsharp conformance-plugin` driven exactly as the upstream runner drives a plugin (FORMAT.md).</summary>
public class ConformancePluginTests
{
    public static TheoryData<string> Files => ConformanceManifest.Files(negativeManifest: false);

    // The runner's encoding: every byte as two lowercase hex digits followed by two spaces.
    static string Encode(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2") + "  "));

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Files))]
    public void Prints_r0_in_hex_and_exits_0(string file)
    {
        var test = ConformanceManifest.Positive[file];
        var memory = ConformanceManifest.FromHex(test.MemHex);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = ConformancePluginCommand.Execute(memory.Length > 0 ? Encode(memory) : null, "interpreter", false,
            new StringReader(Encode(ConformanceManifest.FromHex(test.ProgramHex)) + "\n"), stdout, stderr);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, exit);
        Assert.Equal(ConformanceManifest.ExpectedResult(test), Convert.ToUInt64(stdout.ToString().TrimEnd('\n'), 16));
    }

    [FactRequires(Requirement.Shared)]
    public void The_jit_engine_prints_the_expected_r0_for_all_313_tests()
    {
        var failures = new List<string>();
        foreach (var test in ConformanceManifest.Positive.Values)
        {
            var memory = ConformanceManifest.FromHex(test.MemHex);
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var exit = ConformancePluginCommand.Execute(memory.Length > 0 ? Encode(memory) : null, "jit", false,
                new StringReader(Encode(ConformanceManifest.FromHex(test.ProgramHex)) + "\n"), stdout, stderr);
            if (exit != 0 || Convert.ToUInt64(stdout.ToString().TrimEnd('\n'), 16) != ConformanceManifest.ExpectedResult(test))
                failures.Add($"{test.File}: exit {exit}, stdout '{stdout.ToString().Trim()}', stderr '{stderr.ToString().Trim()}'");
        }
        Assert.True(failures.Count == 0, $"{313 - failures.Count}/313 pass:\n{string.Join("\n", failures)}");
    }

    [TheoryRequires(Requirement.Shared)]
    [InlineData("interpreter")]
    [InlineData("jit")]
    public void The_real_process_passes_all_313_tests(string engine)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(ConformanceManifest.Positive.Values, new ParallelOptions { MaxDegreeOfParallelism = 4 }, test =>
        {
            var args = new List<string> { "conformance-plugin", "--engine", engine };
            if (test.MemHex.Length > 0) args.Add(Encode(ConformanceManifest.FromHex(test.MemHex)));
            var (exit, stdout, stderr) = CliProcess.Run(args, Encode(ConformanceManifest.FromHex(test.ProgramHex)) + "\n");
            if (exit != 0 || Convert.ToUInt64(stdout.TrimEnd('\n'), 16) != ConformanceManifest.ExpectedResult(test))
                failures.Add($"{test.File}: exit {exit}, stdout '{stdout.Trim()}', stderr '{stderr.Trim()}'");
        });
        Assert.True(failures.IsEmpty, $"{313 - failures.Count}/313 pass:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void A_malformed_program_exits_1_with_a_message_naming_the_instruction()
    {
        var stderr = new StringWriter();
        var exit = ConformancePluginCommand.Execute(null, "interpreter", false, new StringReader("8e  00  00  00  00  00  00  00\n"),
            new StringWriter(), stderr);
        Assert.Equal(1, exit);
        Assert.Equal("insn 0: unknown opcode 0x8e", stderr.ToString().Trim());
    }
}
