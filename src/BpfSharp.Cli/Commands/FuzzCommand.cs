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
        var progress = new Option<double>("--progress")
        {
            Description = "print the count so far on stderr every this many seconds (0: never), so that a long run that is stopped still tells how far it got",
            DefaultValueFactory = _ => 60,
        };
        var json = new Option<bool>("--json") { Description = "print the outcome as one JSON object: seed, programs, rate, mismatches" };
        var command = new Command("fuzz", """
            compare the JIT with the interpreter on random programs; each disagreement is written out minimised

            examples:
              bpfsharp fuzz --seconds 60
              bpfsharp fuzz --seconds 3600 --seed 20261122 --output findings --json
              bpfsharp fuzz --seconds 36000 --progress 600 2>progress.log
            exit codes: 0 the engines agreed throughout, 1 bad input, 2 a disagreement (the reproducer's path is printed)
            """) { seconds, seed, output, progress, json };
        command.SetAction(parse => CliErrors.Guard(parse, () => Run(parse.GetValue(seconds), parse.GetValue(seed) ?? Random.Shared.Next(),
            parse.GetValue(output) ?? new DirectoryInfo("."), Console.Out, parse.GetValue(json), Console.Error, parse.GetValue(progress))));
        return command;
    }

    public static int Run(double seconds, int seed, DirectoryInfo output, TextWriter stdout, bool json = false,
        TextWriter? progress = null, double progressSeconds = 0)
    {
        if (seconds <= 0) throw new BpfException($"--seconds must be positive, is {seconds}");
        if (progressSeconds < 0) throw new BpfException($"--progress must not be negative, is {progressSeconds}");
        if (!json) stdout.WriteLine($"fuzzing for {seconds.ToString(CultureInfo.InvariantCulture)} s with seed {seed}");
        // The first finding ends the run, so every progress line is a count of programs on which the engines agreed.
        var report = DifferentialFuzzer.Run(seed, duration: TimeSpan.FromSeconds(seconds), maxFindings: 1,
            progressInterval: progressSeconds > 0 ? TimeSpan.FromSeconds(progressSeconds) : null,
            progress: (cases, elapsed) => progress?.WriteLine(
                $"seed {seed}: {cases} programs in {elapsed.TotalSeconds:F0} s ({cases / elapsed.TotalSeconds:F0} programs/s), 0 mismatches so far"));
        var reproducers = report.Findings.Select(finding =>
        {
            output.Create();
            var path = Path.Combine(output.FullName, $"fuzz-mismatch-seed{seed}-case{finding.CaseNumber}.txt");
            File.WriteAllText(path, finding.Reproducer);
            return (finding, path);
        }).ToList();
        if (json) WriteJson(stdout, seed, report, reproducers);
        else
        {
            stdout.WriteLine($"{report.Cases} programs in {report.Elapsed.TotalSeconds:F1} s: {report.CasesPerSecond:F0} programs/s, " +
                $"{report.Findings.Count} mismatches");
            foreach (var (finding, path) in reproducers)
            {
                stdout.WriteLine($"case {finding.CaseNumber}: {finding.Difference}");
                stdout.WriteLine($"minimised reproducer: {path}");
            }
        }
        return report.Findings.Count == 0 ? 0 : 2;
    }

    static void WriteJson(TextWriter stdout, int seed, FuzzReport report, List<(FuzzFinding Finding, string Path)> reproducers) =>
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("seed", seed);
            json.WriteNumber("programs", report.Cases);
            json.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 1));
            json.WriteNumber("programsPerSecond", Math.Round(report.CasesPerSecond));
            json.WriteStartArray("mismatches");
            foreach (var (finding, path) in reproducers)
            {
                json.WriteStartObject();
                json.WriteNumber("case", finding.CaseNumber);
                json.WriteString("difference", finding.Difference);
                json.WriteString("reproducer", path);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
}
