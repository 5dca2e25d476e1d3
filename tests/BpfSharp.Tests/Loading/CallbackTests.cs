using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>bpf_loop and bpf_for_each_map_elem (tests/fixtures/callbacks/callbacks.c): callbacks in frames of their
/// own, stopping when they return 1. The kernel's answers (Linux 6.18) are in the fixture's header.</summary>
public class CallbackTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "callbacks", "callbacks.o");

    public static TheoryData<string, uint> KernelAnswers => new()
    {
        { "loop_sum", 45 },          // 0 + 1 + ... + 9
        { "loop_stop", 4 },          // the callback returned 1 at i == 3: 4 iterations
        { "each_array", 0x5000a },   // 5 elements visited (stopped at key 4), values 0..4 summed
        { "each_hash", 3 },
    };

    public static TheoryData<string, uint, ExecutionEngine> OnEveryEngine =>
        EngineTheories.Cross(KernelAnswers);

    [Theory, MemberData(nameof(OnEveryEngine))]
    public void BpfSharp_gives_the_kernels_answer(string program, uint expected, ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        Assert.Equal(expected, obj.Programs[program].Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void For_each_over_a_hash_visits_every_element(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        obj.Programs["each_hash"].Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine });
        var bss = obj.Maps.Values.Single(m => m.Name.EndsWith(".bss", StringComparison.Ordinal));
        Assert.Equal(0x666UL, BitConverter.ToUInt64(bss.Lookup(new byte[4])));
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(KernelAnswers))]
    public void The_kernel_still_gives_these_answers(string program, uint expected)
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(expected, kernel.Run(program).ReturnValue);
    }
}
