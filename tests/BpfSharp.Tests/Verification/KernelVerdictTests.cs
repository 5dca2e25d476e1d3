using BpfSharp.Cli.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Verification;

/// <summary>The running kernel still says what the case files recorded (verdict, errno, error line, instruction).
/// A difference means the kernel changed (re-record with record-kernel-verdicts.sh and look at the diff) or the case
/// did.</summary>
public class KernelVerdictTests
{
    [TheoryRequires(Requirement.BpfSyscall), MemberData(nameof(VerifierCases.Names), MemberType = typeof(VerifierCases))]
    public void The_kernel_gives_the_recorded_verdict(string name)
    {
        var c = VerifierCases.Get(name);
        Assert.NotNull(c.Kernel);
        var verdict = c.LoadInKernel();
        var now = KernelRecord.Of(verdict);
        Skip.If(c.Kernel != now && !now.Accepted && Kernel.RunningKernel.IsBuildRefusal(now.Error),
            $"{Kernel.RunningKernel.Description} refuses case {c.Name} ({now.Error}), recorded on {RecordedOn()} as {Describe(c.Kernel!)}: " +
            "its build lacks a helper the case uses; not a BpfSharp difference");
        Assert.True(c.Kernel == now,
            $"{c}: recorded on {RecordedOn()}: {Describe(c.Kernel)}\nthis kernel ({Kernel.RunningKernel.Description}): "
            + $"{Describe(now)}\n--- log ---\n{Tail(verdict.Log)}");
    }

    static string Describe(KernelRecord r) => r.Accepted ? "accept" : $"reject {r.Errno} insn {r.Instruction?.ToString() ?? "-"}: {r.Error}";

    static string RecordedOn() => File.Exists(KernelVerdictRecorder.RecordedOnPath)
        ? File.ReadAllText(KernelVerdictRecorder.RecordedOnPath).Trim() : "(unknown)";

    static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(30));
}
