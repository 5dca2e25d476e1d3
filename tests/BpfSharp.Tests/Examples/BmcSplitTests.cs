using BpfSharp.Execution;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;
using static BpfSharp.Tests.Examples.ExampleObject;

namespace BpfSharp.Tests.Examples;

/// <summary>examples/bmc-split against the hash computed here: the stages chained by tail calls give FNV-1a over the
/// xorshift32 bytes, for any seed; the single-program form is refused as the kernel refuses it. The kernel's answers
/// for seeds 1 and 2 are in KernelFixtureTests.BmcSplit.</summary>
public class BmcSplitTests
{
    const int Length = 1 << 17;

    static ulong Hash(uint seed)
    {
        var x = seed;
        var h = 0xcbf29ce484222325UL;
        for (var i = 0; i < Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            h = (h ^ (x & 0xff)) * 0x100000001b3UL;
        }
        return h;
    }

    public static TheoryData<uint, ExecutionEngine> Seeds => EngineTheories.Cross(new uint[] { 1, 2, 0xdeadbeef });

    [Theory, MemberData(nameof(Seeds))]
    public void The_stages_give_the_hash_of_the_seed_in_17_tail_calls(uint seed, ExecutionEngine engine)
    {
        using var obj = Load("bmc-split/bmc_split.o");
        SetInput(obj, seed);
        var result = Run(obj, "bmc_start", engine);
        var expected = Hash(seed);
        Assert.Equal((uint)expected, result.ReturnValue);
        Assert.Equal(expected, Output(obj, 0));
        Assert.Equal(17, result.TailCalls);
    }

    [Fact]
    public void The_single_program_is_refused_after_a_million_instructions()
    {
        var e = Assert.Throws<VerifierException>(() => Load("bmc-split/bmc_single.o"));
        Assert.Equal("bmc_single", e.Program);
        Assert.Equal("BPF program is too large. Processed 1000001 insn", e.Reason);
    }

    [Fact]
    public void Each_stage_is_within_the_limit()
    {
        // Linux 6.18 processes 155681 instructions for bmc_hash (8192 loop rounds of 19 instructions).
        using var obj = Load("bmc-split/bmc_split.o");
        Assert.InRange(obj.Programs["bmc_hash"].Verification!.ProcessedInstructions, 150_000, 160_000);
    }
}
