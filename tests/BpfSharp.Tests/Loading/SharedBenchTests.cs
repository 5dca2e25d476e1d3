using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;

namespace BpfSharp.Tests.Loading;

/// <summary>../shared/bench's semantics workloads (built into tests/fixtures/bench by its build.sh) give what
/// ../shared/bench/sem.sh shows the kernel giving on this machine (Linux 6.18): 33 tail calls at most per run,
/// the hierarchy program runs 34 times, and the verifier's stack and depth limits.</summary>
public class SharedBenchTests
{
    static string Fixture(string name) => Path.Combine(Requirements.FixturesDirectory, "bench", name);

    static readonly TestRunOptionsBuilder packets = new();

    /// <summary>Fills slots 1..K of a program array with PREFIX{k} (or one program), runs the entry once.</summary>
    static uint Chain(string map, int k, string entry, Func<int, string> program, ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        using var obj = BpfObject.Load(Fixture("tailchain.bpf.o"));
        for (var i = 1; i <= k; i++) obj.Maps[map].AsProgramArray()[i] = obj.Programs[program(i)];
        return obj.Programs[entry].Run(packets.Packet64() with { Engine = engine }).ReturnValue;
    }

    // bare chain: returns the index of the last program that ran; cb chains: how many programs ran.
    [Theory]
    [InlineData(32, 32u, 33u, ExecutionEngine.Interpreter)]
    [InlineData(33, 33u, 34u, ExecutionEngine.Interpreter)]
    [InlineData(38, 33u, 34u, ExecutionEngine.Interpreter)]
    [InlineData(32, 32u, 33u, ExecutionEngine.Jit)]
    [InlineData(33, 33u, 34u, ExecutionEngine.Jit)]
    [InlineData(38, 33u, 34u, ExecutionEngine.Jit)]
    public void A_chain_stops_after_33_tail_calls(int k, uint lastBare, uint programsRun, ExecutionEngine engine)
    {
        Assert.Equal(lastBare, Chain("bare", k, "bare0", i => $"bare{i}", engine));
        Assert.Equal(programsRun, Chain("progs", k, "prog0", i => $"prog{i}", engine));
        Assert.Equal(programsRun, Chain("progs", k, "dyn_entry", _ => "dyn", engine));
    }

    // The kernel's count lives in the run (the JIT's prologue zeroes it), so every repeat of a test run gets its own 33.
    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Every_repeat_of_a_test_run_gets_its_own_33_tail_calls(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Fixture("tailchain.bpf.o"));
        for (var i = 1; i <= 38; i++) obj.Maps["bare"].AsProgramArray()[i] = obj.Programs[$"bare{i}"];
        var result = obj.Programs["bare0"].Run(packets.Packet64(repeat: 3) with { Engine = engine });
        Assert.Equal((33u, 33), (result.ReturnValue, result.TailCalls));
    }

    [TheoryRequires(Requirement.Kernel)]
    [InlineData(33)]
    [InlineData(38)]
    public void The_kernel_agrees_on_the_chain(int k)
    {
        using var kernel = KernelOracle.Load(Fixture("tailchain.bpf.o"));
        for (var i = 1; i <= k; i++) kernel.SetProgramSlot("bare", (uint)i, $"bare{i}");
        Assert.Equal(Chain("bare", k, "bare0", i => $"bare{i}"), kernel.Run("bare0").ReturnValue);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Server1_and_server2_and_the_hierarchy_give_sem_sh_answers(ExecutionEngine engine)
    {
        var packet = packets.Packet64() with { Engine = engine };
        using var obj = BpfObject.Load(Fixture("sem.bpf.o"));
        obj.Maps["bar"].AsProgramArray()[0] = obj.Programs["barista"];
        obj.Maps["hjmp"].AsProgramArray()[0] = obj.Programs["hentry"];
        Assert.Equal(61453u, obj.Programs["server1"].Run(packet).ReturnValue);   // 0xf00d
        Assert.Equal(51966u, obj.Programs["server2"].Run(packet).ReturnValue);   // 0xcafe
        obj.Programs["hentry"].Run(packet);
        var bss = obj.Maps.Values.Single(m => m.Name == "sem.bss");
        Assert.Equal(34, BitConverter.ToInt32(bss.Lookup(new byte[4])));
    }

    public static TheoryData<string, string?> NegativeCases => new()
    {
        { "neg_1_8_8.o", "the call stack of 9 frames is too deep" },
        { "neg_2_8_8.o", null },
        { "neg_3_240_256.o", null },
        { "neg_3_248_8.o", "tail_calls are not allowed when call stack of previous frames is 256 bytes. Too large" },
        { "neg_3_264_8.o", "tail_calls are not allowed when call stack of previous frames is 272 bytes. Too large" },
        { "neg_4_256_256.o", null },
        { "neg_4_256_264.o", "combined stack size of 2 calls is 528. Too large" },
    };

    [Theory, MemberData(nameof(NegativeCases))]
    public void The_verifier_limits_load_or_reject_as_sem_sh_shows(string file, string? kernelMessage)
    {
        if (kernelMessage is null)
        {
            using var obj = BpfObject.Load(Fixture(file));
            return;
        }
        Assert.Equal(kernelMessage, Assert.Throws<VerifierException>(() => BpfObject.Load(Fixture(file))).Reason);
    }
}
