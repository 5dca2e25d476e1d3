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
        Assert.Equal(3u, obj.Programs["dead_branch"].Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_loads_it_and_returns_3()
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(3u, kernel.Run("dead_branch").ReturnValue);
    }

    /// <summary>Were the host to set enabled = 1 now, dead_branch would dereference skb->len unchecked: the map stays
    /// frozen, EPERM, as the kernel answers bpf(BPF_MAP_UPDATE_ELEM) on a frozen map.</summary>
    [Fact]
    public void The_host_cannot_change_rodata_the_verifier_read()
    {
        using var obj = BpfObject.Load(Object);
        var rodata = obj.Maps.Values.Single(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal));
        var e = Assert.Throws<MapException>(() => rodata.Update(new byte[4], [1, 0, 0, 0]));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal(0u, BitConverter.ToUInt32(rodata.Lookup(new byte[4])));
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_refuses_the_same_write()
    {
        using var kernel = KernelOracle.Load(Object);
        var e = Assert.Throws<KernelOracleException>(() => kernel.Update(".rodata", new byte[4], [1, 0, 0, 0]));
        Assert.Contains("Operation not permitted", e.Message);
    }
}
