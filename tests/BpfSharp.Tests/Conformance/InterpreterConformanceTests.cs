using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Conformance;

/// <summary>The public eBPF conformance suite (bpf_conformance, 313 tests, cpu v1-v4) on the interpreter.</summary>
public class InterpreterConformanceTests
{
    public static TheoryData<string> Files => ConformanceManifest.Files(negativeManifest: false);

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Files))]
    public void Gives_the_expected_r0(string file)
    {
        var entry = ConformanceManifest.Positive[file];
        Assert.Equal(ConformanceManifest.ExpectedResult(entry), Run(entry));
    }

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Files))]
    public void Gives_the_same_r0_when_run_from_the_asm_text(string file)
    {
        var test = ConformanceTestFile.Load(ConformanceManifest.PositivePath(file));
        var program = new ExecutableProgram(file, test.Program);
        using var invocation = new Invocation(StandardHelpers.Create());
        Assert.Equal(test.ExpectedResult, RawExecution.Run(program, test.Memory.ToArray(), invocation));
    }

    [FactRequires(Requirement.Shared)]
    public void All_313_tests_pass()
    {
        var failed = ConformanceManifest.Positive.Values.Where(t => !Passes(t)).Select(t => t.File).ToList();
        Assert.Equal(313, ConformanceManifest.Positive.Count);
        Assert.True(failed.Count == 0, $"{313 - failed.Count}/313 pass; failing: {string.Join(", ", failed)}");
    }

    static bool Passes(ManifestEntry test)
    {
        try { return Run(test) == ConformanceManifest.ExpectedResult(test); }
        catch (BpfException) { return false; }
    }

    static ulong Run(ManifestEntry test)
    {
        var program = new ExecutableProgram(test.File, InstructionDecoder.Decode(ConformanceManifest.FromHex(test.ProgramHex)));
        using var invocation = new Invocation(StandardHelpers.Create());
        return RawExecution.Run(program, ConformanceManifest.FromHex(test.MemHex), invocation);
    }
}
