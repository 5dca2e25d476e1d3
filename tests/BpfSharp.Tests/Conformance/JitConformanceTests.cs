using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Conformance;

/// <summary>The public eBPF conformance suite (313 tests) on the JIT, bounds-checked as the plugin runs it, and
/// unchecked (the code verified programs get): the same r0 as the interpreter and the suite.</summary>
public class JitConformanceTests
{
    public static TheoryData<string> Files => ConformanceManifest.Files(negativeManifest: false);

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Files))]
    public void Gives_the_expected_r0_on_the_jit(string file)
    {
        var entry = ConformanceManifest.Positive[file];
        Assert.Equal(ConformanceManifest.ExpectedResult(entry), Run(entry, boundsChecked: true));
    }

    [FactRequires(Requirement.Shared)]
    public void All_313_tests_pass_on_the_jit_checked_and_unchecked()
    {
        foreach (var boundsChecked in new[] { true, false })
        {
            var failed = ConformanceManifest.Positive.Values.Where(t => !Passes(t, boundsChecked)).Select(t => t.File).ToList();
            Assert.Equal(313, ConformanceManifest.Positive.Count);
            Assert.True(failed.Count == 0, $"checked={boundsChecked}: {313 - failed.Count}/313 pass; failing: {string.Join(", ", failed)}");
        }
    }

    static bool Passes(ManifestEntry test, bool boundsChecked)
    {
        try { return Run(test, boundsChecked) == ConformanceManifest.ExpectedResult(test); }
        catch (BpfException) { return false; }
    }

    static ulong Run(ManifestEntry test, bool boundsChecked)
    {
        // The suite's programs are safe by construction: trusted here as the verifier's acceptance would be.
        var program = new ExecutableProgram(test.File, InstructionDecoder.Decode(ConformanceManifest.FromHex(test.ProgramHex))) { Verified = true };
        using var invocation = new Invocation(StandardHelpers.Create()) { BoundsChecked = boundsChecked };
        return RawExecution.Run(program, ConformanceManifest.FromHex(test.MemHex), invocation, ExecutionEngine.Jit);
    }
}
