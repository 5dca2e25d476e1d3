using BpfSharp.Verification;

namespace BpfSharp.Tests.Verification;

/// <summary>BpfSharp's verifier against Linux 6.18's verdicts on the case suite (Cases/*.case): the same verdict
/// for every case, and for refusals the kernel's error line, or one of the lines it printed just before (the kernel
/// often states the precise reason there and a general one last).</summary>
public class VerifierAgreementTests
{
    /// <summary>The cases of program types BpfSharp verifies (socket filter, tc, XDP, kprobe); the suite also holds
    /// tracepoint, raw tracepoint and cgroup cases, whose contexts BpfSharp does not provide.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in VerifierCases.All.Where(c => BpfSharp.Verification.Verifier.CanVerify(c.ProgramType))) data.Add(c.Name);
            return data;
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void BpfSharp_agrees_with_the_kernel(string name)
    {
        var c = VerifierCases.Get(name);
        var refusal = BpfSharpVerifierRun.Verify(c);
        var kernel = c.Kernel!;
        if (kernel.Accepted)
        {
            Assert.True(refusal is null, $"the kernel accepts {name}; BpfSharp refused it: {refusal?.Message}");
            return;
        }
        Assert.True(refusal is not null, $"the kernel refuses {name} with \"{kernel.Error}\"; BpfSharp accepted it");
        var kernelLines = kernel.Detail.Split('\n', StringSplitOptions.RemoveEmptyEntries).Append(kernel.Error).ToList();
        Assert.True(kernelLines.Contains(refusal!.Reason),
            $"{name}: the kernel says \"{string.Join(" / ", kernelLines)}\", BpfSharp says \"{refusal.Reason}\"");
    }
}
