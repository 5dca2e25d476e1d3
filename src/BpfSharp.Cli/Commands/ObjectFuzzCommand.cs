using System.Globalization;
using BpfSharp.Cli.ObjectFuzz;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp fuzz --objects PATH...</c>: malformed variants of the given objects through the loader, the
/// verifier and a bounds-checked run. Prints the counts, each refusal's exception type, and each failure that is not
/// a named error with its first input written out. Exit 2 when there was such a failure or an input took too long.</summary>
internal static class ObjectFuzzCommand
{
    public static int Run(IReadOnlyList<string> paths, double seconds, int seed, int jobs, DirectoryInfo output, TextWriter stdout,
        TextWriter progress, double progressSeconds)
    {
        if (seconds <= 0) throw new BpfException($"--seconds must be positive, is {seconds}");
        if (jobs < 1) throw new BpfException($"--jobs must be at least 1, is {jobs}");
        var objects = paths.SelectMany(Objects).Distinct().Order(StringComparer.Ordinal).ToList();
        if (objects.Count == 0) throw new BpfException($"--objects: no .o file in {string.Join(", ", paths)}");
        stdout.WriteLine($"fuzzing the loader for {seconds.ToString(CultureInfo.InvariantCulture)} s with seed {seed}" +
            $"{(jobs == 1 ? "" : $" ({jobs} jobs, seeds {seed}-{unchecked(seed + jobs - 1)})")} on {objects.Count} objects");
        var report = ObjectFuzzer.Run(objects, seed, TimeSpan.FromSeconds(seconds), jobs, output,
            progressSeconds > 0 ? TimeSpan.FromSeconds(progressSeconds) : null, r => progress.WriteLine($"seed {seed}: {Counts(r)}"));
        stdout.WriteLine(Counts(report));
        foreach (var failure in report.Failures)
        {
            stdout.WriteLine($"{failure.Count,7} × {failure.Signature}");
            stdout.WriteLine($"          {failure.Example}; input: {failure.Reproducer}");
        }
        return report.InternalErrors == 0 && report.Slow == 0 ? 0 : 2;
    }

    static string Counts(ObjectFuzzReport r) =>
        $"{r.Inputs} inputs in {r.Elapsed.TotalSeconds:F0} s ({r.InputsPerSecond:F0}/s): loaded {r.Loaded}, refused with a named error {r.Refused} " +
        $"({string.Join(", ", r.RefusedBy.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"))}), " +
        $"slow {r.Slow}, internal errors {r.InternalErrors}";

    static IEnumerable<string> Objects(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.o", SearchOption.AllDirectories).Select(Path.GetFullPath)
        : File.Exists(path) ? [Path.GetFullPath(path)]
        : throw new BpfException($"--objects: {path} is neither a file nor a directory");
}
