using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Conformance;

/// <summary>The verifier on the conformance suite, with r1 pointing to the test's memory and r2 its size (the way the
/// kernel plugin's XDP prolog sets them up): it accepts the 300 programs Linux 6.18 accepted and refuses the 13 it
/// refused — 12 shifts by an out-of-range immediate and callx — with the kernel's reasons.</summary>
public class VerifierConformanceTests
{
    public static TheoryData<string> Files => ConformanceManifest.Files(negativeManifest: false);

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Files))]
    public void The_verdict_is_the_kernels(string file)
    {
        var test = ConformanceManifest.Positive[file];
        var code = InstructionDecoder.Decode(ConformanceManifest.FromHex(test.ProgramHex));
        var size = test.MemHex.Length / 2;
        var kernelAccepted = test.LinuxVerdict == "PASS";
        try
        {
            Verifier.VerifyRaw(file, code, size, StandardHelpers.Create());
            Assert.True(kernelAccepted, $"{file}: Linux refused it, BpfSharp accepted it");
        }
        catch (VerifierException e)
        {
            Assert.False(kernelAccepted, $"{file}: Linux accepted it, BpfSharp refused it: {e.Message}");
            Assert.Matches(file == "callx.data" ? "^unknown opcode 8d$" : "^invalid shift -?[0-9]+$", e.Reason);
        }
    }
}
