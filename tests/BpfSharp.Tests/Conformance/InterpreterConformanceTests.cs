using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Conformance;

/// <summary>The public eBPF conformance suite (bpf_conformance, 313 tests, cpu v1-v4) on the interpreter.</summary>
public class InterpreterConformanceTests
{
    public static TheoryData<ConformanceCase> Cases => ConformanceManifest.Rows();

    [TheoryRequires(Requirement.Shared), MemberData(nameof(Cases))]
    public void Gives_the_expected_r0(ConformanceCase test) => Assert.Equal(test.ExpectedResult, Run(test));

    [FactRequires(Requirement.Shared)]
    public void All_313_tests_pass()
    {
        var failed = ConformanceManifest.Tests.Where(t => !Passes(t)).Select(t => t.File).ToList();
        Assert.Equal(313, ConformanceManifest.Tests.Count);
        Assert.True(failed.Count == 0, $"{313 - failed.Count}/313 pass; failing: {string.Join(", ", failed)}");
    }

    static bool Passes(ConformanceCase test)
    {
        try { return Run(test) == test.ExpectedResult; }
        catch (BpfException) { return false; }
    }

    static ulong Run(ConformanceCase test)
    {
        var program = new ExecutableProgram(test.File, InstructionDecoder.Decode(test.Program));
        using var invocation = new Invocation(StandardHelpers.Create());
        return RawExecution.Run(program, test.Memory, invocation);
    }
}
