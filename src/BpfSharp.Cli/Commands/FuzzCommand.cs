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
        var jobs = new Option<int>("--jobs")
        {
            Description = "threads, each with its own generator (job i has seed + i): one per CPU keeps a machine busy",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json") { Description = "print the outcome as one JSON object: seed, programs, rate, mismatches" };
        var againstKernel = new Option<bool>("--against-kernel")
        {
            Description = "compare BpfSharp's verifier with the running kernel's (bpf(), root) on random programs aimed at its rules, not the engines",
        };
        var objects = new Option<string[]>("--objects")
        {
            Description = "fuzz the loader instead: malformed variants of these objects (files, or directories of .o files) must load or fail with a named error",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("fuzz", """
            compare the JIT with the interpreter on random programs; each disagreement is written out minimised

            examples:
              bpfsharp fuzz --seconds 60
              bpfsharp fuzz --seconds 3600 --seed 20261122 --output findings --json
              bpfsharp fuzz --seconds 36000 --jobs 8 --progress 600 2>progress.log
              sudo bpfsharp fuzz --against-kernel --seconds 600 --seed 1 --output findings
              bpfsharp fuzz --objects tests/fixtures examples --seconds 600 --jobs 2
            exit codes: 0 the engines agreed throughout (--against-kernel: BpfSharp accepted nothing the kernel refused;
              --objects: every input loaded or failed with a named error, none took over 10 s),
              1 bad input, 2 a disagreement or failure (the reproducer's path is printed)
            """) { seconds, seed, output, progress, jobs, json, againstKernel, objects };
        command.SetAction(parse => CliErrors.Guard(parse, () => parse.GetValue(objects) is { Length: > 0 } paths
            ? ObjectFuzzCommand.Run(paths, parse.GetValue(seconds), parse.GetValue(seed) ?? Random.Shared.Next(), parse.GetValue(jobs),
                parse.GetValue(output) ?? new DirectoryInfo("."), Console.Out, Console.Error, parse.GetValue(progress))
            : parse.GetValue(againstKernel)
            ? KernelFuzzCommand.Run(parse.GetValue(seconds), parse.GetValue(seed) ?? Random.Shared.Next(),
                parse.GetValue(output) ?? new DirectoryInfo("."), Console.Out, Console.Error, parse.GetValue(progress))
            : Run(parse.GetValue(seconds), parse.GetValue(seed) ?? Random.Shared.Next(),
            parse.GetValue(output) ?? new DirectoryInfo("."), Console.Out, parse.GetValue(json), Console.Error, parse.GetValue(progress), parse.GetValue(jobs))));
        return command;
    }

    public static int Run(double seconds, int seed, DirectoryInfo output, TextWriter stdout, bool json = false,
        TextWriter? progress = null, double progressSeconds = 0, int jobs = 1)
    {
        if (seconds <= 0) throw new BpfException($"--seconds must be positive, is {seconds}");
        if (progressSeconds < 0) throw new BpfException($"--progress must not be negative, is {progressSeconds}");
        if (jobs < 1) throw new BpfException($"--jobs must be at least 1, is {jobs}");
        var seeds = jobs == 1 ? $"seed {seed}" : $"seeds {seed}-{unchecked(seed + jobs - 1)}";
        if (!json) stdout.WriteLine($"fuzzing for {seconds.ToString(CultureInfo.InvariantCulture)} s with {seeds}{(jobs == 1 ? "" : $" ({jobs} jobs)")}");
        var report = DifferentialFuzzer.Run(seed, duration: TimeSpan.FromSeconds(seconds), maxFindings: 1,
            progressInterval: progressSeconds > 0 ? TimeSpan.FromSeconds(progressSeconds) : null,
            progress: (agreed, elapsed) => progress?.WriteLine(
                $"{seeds}: the engines agreed on {agreed} programs in {elapsed.TotalSeconds:F0} s ({agreed / elapsed.TotalSeconds:F0} programs/s)"),
            jobs: jobs);
        var reproducers = report.Findings.Select(finding =>
        {
            output.Create();
            var path = Path.Combine(output.FullName, $"fuzz-mismatch-seed{finding.Seed}-case{finding.CaseNumber}.txt");
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
                stdout.WriteLine($"seed {finding.Seed} case {finding.CaseNumber}: {finding.Difference}");
                stdout.WriteLine(finding.IsMinimized ? $"minimised reproducer: {path}" : $"reproducer, as generated: {path}");
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
                json.WriteNumber("seed", finding.Seed);
                json.WriteNumber("case", finding.CaseNumber);
                json.WriteString("difference", finding.Difference);
                json.WriteString("reproducer", path);
                json.WriteBoolean("minimised", finding.IsMinimized);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
}
