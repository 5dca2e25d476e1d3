using BpfSharp.Cli.Kernel;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Verification;

/// <summary>Runs BpfSharp's verifier on a case, with the case's maps referenced the way the kernel harness
/// references them (<c>lddw</c> src 1/2 with the map's index in imm).</summary>
internal static class BpfSharpVerifierRun
{
    /// <summary>Null when accepted; the exception when refused.</summary>
    public static VerifierException? Verify(VerifierCase c) =>
        LocalVerifier.Verify(c.Name, c.ProgramType, c.Maps, c.Instructions, (c.ProgramFlags & VerifierCase.StrictAlignment) != 0, c.Attach,
            c.TracingOn(KernelBtfFixture.Linux618), KernelBtfFixture.Linux618);
}
