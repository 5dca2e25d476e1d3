using System.CommandLine;
using System.Globalization;
using BpfSharp.Execution.Fuzzing;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp fuzz</c>: random programs on the interpreter and the JIT, bounds-checked, compared (r0 or the
/// error, the data buffer, the stack, the counters). Prints the rate and any disagreement, and writes each one,
/// minimised, as a reproducer (disassembly and hex). Exit 0 when the engines agreed throughout, 2 otherwise.</summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => 10 };
        var seed = new Option<int?>("--seed") { Description = "the generator's seed (default: random; printed)" };
        var output = new Option<DirectoryInfo?>("--output") { Description = "where reproducers go (default: the current directory)" };
        var command = new Command("fuzz", "compare the JIT with the interpreter on random programs") { seconds, seed, output };
        command.SetAction(parse => CliErrors.Guard(() => Run(parse.GetValue(seconds), parse.GetValue(seed) ?? Random.Shared.Next(),
            parse.GetValue(output) ?? new DirectoryInfo("."), Console.Out)));
        return command;
    }

    public static int Run(double seconds, int seed, DirectoryInfo output, TextWriter stdout)
    {
        if (seconds <= 0) throw new BpfException($"--seconds must be positive, is {seconds}");
        stdout.WriteLine($"fuzzing for {seconds.ToString(CultureInfo.InvariantCulture)} s with seed {seed}");
        var report = DifferentialFuzzer.Run(seed, duration: TimeSpan.FromSeconds(seconds), maxFindings: 1);
        stdout.WriteLine($"{report.Cases} programs in {report.Elapsed.TotalSeconds:F1} s: {report.CasesPerSecond:F0} programs/s, " +
            $"{report.Findings.Count} mismatches");
        foreach (var finding in report.Findings)
        {
            output.Create();
            var path = Path.Combine(output.FullName, $"fuzz-mismatch-seed{seed}-case{finding.CaseNumber}.txt");
            File.WriteAllText(path, finding.Reproducer);
            stdout.WriteLine($"case {finding.CaseNumber}: {finding.Difference}");
            stdout.WriteLine($"minimised reproducer: {path}");
        }
        return report.Findings.Count == 0 ? 0 : 2;
    }
}
