using System.Globalization;
using BpfSharp.Cli.Kernel;
using BpfSharp.Cli.KernelFuzz;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp fuzz --against-kernel</c>: BpfSharp's verifier against the running kernel's on random
/// programs. Prints the verdict counts and each kind of disagreement with its count, and writes the first program of
/// each kind, minimised, as a reproducer. Exit 2 when BpfSharp accepted a program the kernel refused (a program that
/// would run unchecked), 0 otherwise: refusals of programs the kernel accepts are reported, not failures.</summary>
internal static class KernelFuzzCommand
{
    public static int Run(double seconds, int seed, DirectoryInfo output, TextWriter stdout, TextWriter progress, double progressSeconds)
    {
        if (seconds <= 0) throw new BpfException($"--seconds must be positive, is {seconds}");
        if (KernelVerifier.WhyUnavailable() is { } why) throw new BpfException($"--against-kernel: {why}");
        stdout.WriteLine($"fuzzing the verifier against this kernel for {seconds.ToString(CultureInfo.InvariantCulture)} s with seed {seed}");
        var report = KernelDifferentialFuzzer.Run(seed, TimeSpan.FromSeconds(seconds),
            progressInterval: progressSeconds > 0 ? TimeSpan.FromSeconds(progressSeconds) : null,
            progress: r => progress.WriteLine($"seed {seed}: {Counts(r)}"));
        stdout.WriteLine(Counts(report));
        foreach (var kind in report.Disagreements)
        {
            output.Create();
            var path = Path.Combine(output.FullName, $"kernel-diff-seed{kind.Seed}-case{kind.CaseNumber}.txt");
            File.WriteAllText(path, kind.Describe());
            stdout.WriteLine($"{kind.Count,7} × {kind.Signature}");
            stdout.WriteLine($"          kernel: {(kind.KernelMessage.Length == 0 ? "accepts" : kind.KernelMessage)}; BpfSharp: " +
                $"{(kind.BpfSharpMessage.Length == 0 ? "accepts" : kind.BpfSharpMessage)}; minimised: {path}");
        }
        return report.AcceptsKernelRefuses == 0 ? 0 : 2;
    }

    static string Counts(KernelFuzzReport r) =>
        $"{r.Programs} programs in {r.Elapsed.TotalSeconds:F0} s ({r.ProgramsPerSecond:F0}/s): both accept {r.BothAccept}, both refuse {r.BothRefuse}, " +
        $"BpfSharp accepts what the kernel refuses {r.AcceptsKernelRefuses}, BpfSharp refuses what the kernel accepts {r.RefusesKernelAccepts}";
}
