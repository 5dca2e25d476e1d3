using BpfSharp.Cli.Commands;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp fuzz --against-kernel</c>: the counts of both verdicts, every program counted once.</summary>
public class KernelFuzzCommandTests
{
    [FactRequires(Requirement.BpfSyscall)]
    public void A_short_run_counts_every_program_by_both_verdicts()
    {
        var output = new StringWriter();
        var findings = Directory.CreateTempSubdirectory();
        try
        {
            var exit = KernelFuzzCommand.Run(1, seed: 7, findings, output, TextWriter.Null, progressSeconds: 0);
            var text = output.ToString();
            Assert.Equal(0, exit);
            var counts = System.Text.RegularExpressions.Regex.Match(text,
                @"(\d+) programs in \d+ s \(\d+/s\): both accept (\d+), both refuse (\d+), BpfSharp accepts what the kernel refuses 0, BpfSharp refuses what the kernel accepts (\d+)");
            Assert.True(counts.Success, text);
            var numbers = counts.Groups.Values.Skip(1).Select(g => long.Parse(g.Value)).ToArray();
            Assert.Equal(numbers[0], numbers[1] + numbers[2] + numbers[3]);
            Assert.True(numbers[1] > 0 && numbers[2] > 0, text);
        }
        finally
        {
            findings.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_bad_duration_is_refused() =>
        Assert.Throws<BpfException>(() => KernelFuzzCommand.Run(0, 1, new DirectoryInfo("."), TextWriter.Null, TextWriter.Null, 0));
}
