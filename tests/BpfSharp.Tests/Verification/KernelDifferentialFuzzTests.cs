using BpfSharp.Cli.KernelFuzz;
using BpfSharp.Tests.Support;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verification;

/// <summary>A fixed stretch of <c>bpfsharp fuzz --against-kernel</c>: the same 20 000 generated programs judged by
/// BpfSharp's verifier and the running kernel's. BpfSharp must accept none that the kernel refuses. The programs are
/// the same on every machine; the verdicts are this kernel's (Linux 6.18 x86-64 when written): on another kernel a
/// failure names the program, its two verdicts and the kernel, so it can be told from a BpfSharp regression.</summary>
public class KernelDifferentialFuzzTests(ITestOutputHelper output)
{
    [FactRequires(Requirement.BpfSyscall)]
    public void BpfSharp_accepts_no_generated_program_the_kernel_refuses()
    {
        var report = KernelDifferentialFuzzer.Run(seed: 20261207, TimeSpan.FromMinutes(5), maxPrograms: 20_000);
        output.WriteLine($"{report.Programs} programs: both accept {report.BothAccept}, both refuse {report.BothRefuse}, " +
            $"BpfSharp refuses what the kernel accepts {report.RefusesKernelAccepts}");
        Assert.Equal(20_000, report.Programs);
        var unsafeKinds = report.Disagreements.Where(d => d.BpfSharpAccepts).ToList();
        Assert.True(unsafeKinds.Count == 0, $"on Linux {Environment.OSVersion.Version}: BpfSharp accepts what the kernel refuses:\n" +
            string.Join("\n", unsafeKinds.Select(d => d.Describe())));
    }
}
