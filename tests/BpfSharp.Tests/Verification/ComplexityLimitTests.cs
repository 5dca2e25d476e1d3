using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Verification;

/// <summary>bench/workloads/large_1m_refused.o: 1400 rounds of clang's branch-free select (<c>r s>>= 63; r &amp;= K</c>),
/// each of which splits the path in two, as Linux's verifier splits it (maybe_fork_scalars).</summary>
public class ComplexityLimitTests
{
    [Fact]
    public void The_select_workload_is_refused_where_the_kernel_refuses_it()
    {
        var path = Path.Combine(Requirements.RepositoryRoot, "bench", "workloads", "large_1m_refused.o");
        var e = Assert.Throws<VerifierException>(() => BpfObject.Load(path).Dispose());
        // Linux 6.18.44 (bpftool prog loadall): "11196: (0f) r4 += r3" then
        // "BPF program is too large. Processed 1000001 insn".
        Assert.Equal("BPF program is too large. Processed 1000001 insn", e.Reason);
        Assert.Equal(11196, e.InstructionIndex);
    }
}
