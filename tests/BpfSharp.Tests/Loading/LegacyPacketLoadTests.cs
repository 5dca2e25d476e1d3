using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>A legacy packet load outside the packet ends the function it is in with 0, not the whole program
/// (tests/fixtures/ldabs/ldabs.c; Linux 6.18's answers in its header).</summary>
public class LegacyPacketLoadTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "ldabs", "ldabs.o");

    public static TheoryData<string, uint> KernelAnswers => new()
    {
        { "sub_fails", 0x100 },   // the subprogram returned 0, its caller added 0x100
        { "sub_loads", 0x107 },   // byte 3 of a zero packet, + 7, + 0x100
        { "main_fails", 0 },
    };

    public static TheoryData<string, uint, ExecutionEngine> OnEveryEngine =>
        EngineTheories.Cross(KernelAnswers.Select(row => ((string)row[0], (uint)row[1])));

    [Theory, MemberData(nameof(OnEveryEngine))]
    public void BpfSharp_gives_the_kernels_answer(string program, uint expected, ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        var result = obj.Programs[program].TestRun(new TestRunOptions { DataIn = new byte[64], Engine = engine });
        Assert.Equal(expected, result.ReturnValue);
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(KernelAnswers))]
    public void The_kernel_still_gives_these_answers(string program, uint expected)
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(expected, kernel.Run(program).ReturnValue);
    }
}
