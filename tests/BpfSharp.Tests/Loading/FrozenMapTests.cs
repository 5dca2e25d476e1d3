using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>.rodata is frozen before programs load, so the verifier reads its bytes as constants
/// (<c>bpf_map_direct_read</c>) and skips the branches they rule out (tests/fixtures/loading/rodata.c); Linux 6.18.44
/// loaded dead_branch, whose dead branch dereferences a number, and returned 3.</summary>
public class FrozenMapTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "loading", "rodata.o");

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_branch_a_rodata_constant_rules_out_is_not_verified(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        Assert.True(obj.Programs["dead_branch"].IsVerified);
        Assert.Equal(3u, obj.Programs["dead_branch"].TestRun(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_loads_it_and_returns_3()
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(3u, kernel.Run("dead_branch").ReturnValue);
    }
}
