using BpfSharp.Execution;
using BpfSharp.Execution.Fuzzing;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Execution;

/// <summary>Random programs (every instruction class, calls, callbacks, tail calls, faults, runaway loops) give the
/// same r0 or error, data buffer, stack and counters on the JIT as on the interpreter, bounds-checked.</summary>
public class DifferentialFuzzTests
{
    [Fact]
    public void A_fixed_seed_run_of_3000_cases_finds_no_disagreement()
    {
        var report = DifferentialFuzzer.Run(seed: 9669, maxCases: 3000);
        Assert.True(report.Findings.Count == 0, report.Findings.Count == 0 ? "" :
            $"case {report.Findings[0].CaseNumber} of seed 9669:\n{report.Findings[0].Reproducer}");
        Assert.Equal(3000, report.Cases);
    }

    [Fact]
    public void Jobs_share_the_count_of_cases()
    {
        var report = DifferentialFuzzer.Run(seed: 9669, maxCases: 400, jobs: 3);
        Assert.Equal((400, 0), (report.Cases, report.Findings.Count));
    }

    [Fact]
    public void A_case_past_the_hang_limit_ends_the_session_as_a_finding()
    {
        // With no time allowed, whatever case is running when the session looks (once a second) counts as hung.
        var report = DifferentialFuzzer.Run(seed: 9669, duration: TimeSpan.FromSeconds(60), jobs: 2, hangLimit: TimeSpan.Zero);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("no result after 0 s: a hang", false), (finding.Difference, finding.IsMinimized));
        Assert.Contains(finding.Seed, new[] { 9669, 9670 });
        Assert.Contains("no result after 0 s: a hang", finding.Reproducer);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(30), $"the session took {report.Elapsed}");
    }

    [Fact]
    public void The_generator_is_deterministic_and_its_programs_decode()
    {
        var (a, b) = (new ProgramGenerator(7), new ProgramGenerator(7));
        for (var i = 0; i < 200; i++)
        {
            var (x, y) = (a.Next(), b.Next());
            Assert.Equal(x.Data, y.Data);
            Assert.Equal(x.Programs.Length, y.Programs.Length);
            for (var p = 0; p < x.Programs.Length; p++)
            {
                Assert.Equal(x.Programs[p], y.Programs[p]);
                InstructionDecoder.Validate(x.Programs[p]);
            }
        }
    }

    [Fact]
    public void The_cases_reach_every_outcome_the_engines_must_agree_on()
    {
        // A fuzzer whose programs all fault at the first instruction would agree trivially: check the mix.
        var generator = new ProgramGenerator(1);
        using var runner = new DifferentialRunner();
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 1000; i++)
        {
            var fuzzCase = generator.Next();
            var outcome = runner.Run(runner.Load(fuzzCase), fuzzCase, ExecutionEngine.Interpreter);
            var kind = outcome.Error is null ? "returned" : outcome.Error[..outcome.Error.IndexOf(':')];
            if (outcome.Error?.Contains("budget") == true) kind = "budget";
            if (outcome.TailCalls > 0) kind += "+tailcall";
            outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
        }
        Assert.True(outcomes.GetValueOrDefault("returned") > 300, string.Join(", ", outcomes));
        foreach (var kind in new[] { "MemoryFaultException", "BpfRuntimeException", "budget" })
            Assert.True(outcomes.GetValueOrDefault(kind) > 5, $"{kind}: {string.Join(", ", outcomes)}");
        Assert.True(outcomes.Keys.Any(k => k.EndsWith("+tailcall", StringComparison.Ordinal)), string.Join(", ", outcomes));
    }

    /// <summary>Found by <c>fuzz --seed 20261127</c> at case 743 736: the target tail-calls itself from its subprogram
    /// until the 33 are spent, each round a frame deeper, then adds 1 to the 64 bytes above its frame and returns their
    /// old sum. The runner cleared only the 16 frames it compares, so the JIT's run saw the interpreter's increments
    /// 33 frames down and returned 64 more.</summary>
    [Fact]
    public void A_run_34_frames_deep_sees_none_of_the_previous_engines_stack()
    {
        const int tailCall = 12;
        Instruction[] entry = [.. Asm.LoadImm64(Register.R2, ProgramGenerator.ProgramArray), Asm.Mov64(Register.R3, 1), Asm.CallHelper(tailCall)];
        Instruction[] target =
        [
            Asm.CallLocal(1), Asm.Exit(),
            Asm.CallHelper(tailCall), Asm.Mov64(Register.R1, Register.R10), Asm.CallHelper(FuzzHelpers.Touch), Asm.Exit(),
        ];
        var fuzzCase = new FuzzCase([entry, [Asm.Ja(0)], target], new byte[ProgramGenerator.DataLength], 20_000);
        using var runner = new DifferentialRunner();
        var programs = runner.Load(fuzzCase);
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit, ExecutionEngine.Interpreter })
        {
            var outcome = runner.Run(programs, fuzzCase, engine);
            Assert.Equal((null, 0ul, 33), (outcome.Error, outcome.R0, outcome.TailCalls));
        }
        Assert.Null(runner.Compare(fuzzCase));
    }

    /// <summary>Found by <c>fuzz --seed 20261131</c> at case 380 551, which hung the session: a local call into the
    /// middle of a function reached <c>callx r5</c> with r5 = 93, bpf_spin_lock, on the data buffer, whose first word
    /// (random bytes) is no free lock; the interpreter spun on it for ever. Minimised by hand.</summary>
    [Fact]
    public void A_spin_lock_on_a_word_that_is_no_lock_is_an_error_on_both_engines()
    {
        Instruction[] program = [Asm.Mov64(Register.R5, 93), new Instruction(Opcode.Callx, Register.R5, Register.R0, 0, 0), Asm.Exit()];
        var fuzzCase = new FuzzCase([program], Convert.FromHexString("e7192826b9406f4d6a2460956efeec7cb7ea0d3dfd5d0c534271b6effdd81eef" +
            "23e8d58c61c83b4515140fb415deb193c20cde0644daea890cd4e348897f5091"), 76);
        using var runner = new DifferentialRunner();
        var outcome = runner.Run(runner.Load(fuzzCase), fuzzCase, ExecutionEngine.Interpreter);
        Assert.Matches(@"^BpfRuntimeException: fuzz \(bpf_spin_lock\): insn 1: bpf_spin_lock: the lock at 0x[0-9a-f]+ was not released within 1 s \(its word holds 640162279\)",
            outcome.Error);
        Assert.Null(runner.Compare(fuzzCase));
    }
}
