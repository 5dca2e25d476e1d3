using System.Runtime.CompilerServices;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>The JIT's own contracts: compiled once per program (and helper table), on any thread; collected with the
/// program; helpers resolved when compiling; callbacks it did not compile still run.</summary>
public class JitTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference CompileAndDrop()
    {
        using var invocation = new Invocation(StandardHelpers.Create());
        var program = new ExecutableProgram("dropped", [Asm.Mov64(R0, 7), Asm.Exit()]);
        Assert.Equal(7UL, Jit.Run(program, invocation));
        return new WeakReference(program.JitCache.Get(invocation.Helpers, invocation.BoundsChecked).Type);
    }

    [Fact]
    public void The_generated_code_is_collected_when_the_program_is_dropped()
    {
        var type = CompileAndDrop();
        // A collectible assembly goes in stages (its loader allocator's finalizer, then the memory): a few rounds.
        for (var i = 0; i < 20 && type.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(type.IsAlive);
    }

    [Fact]
    public void A_program_first_run_on_many_threads_at_once_is_compiled_once()
    {
        var program = new ExecutableProgram("shared", Code(Asm.Mov64(R0, 0), Asm.Add64(R0, 5), Asm.Exit()));
        var helpers = StandardHelpers.Create();
        using var start = new Barrier(8);
        var results = new ulong[8];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            using var invocation = new Invocation(helpers);
            start.SignalAndWait();
            results[t] = Jit.Run(program, invocation);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(results, r => Assert.Equal(5UL, r));
        var first = program.JitCache.Get(helpers, isChecked: true);
        Assert.Same(first, program.JitCache.Get(helpers, isChecked: true));
    }

    [Fact]
    public void Registering_a_helper_after_compiling_recompiles_with_the_new_one()
    {
        var helpers = StandardHelpers.Create();
        helpers.Register(5000, "one", (_, _, _, _, _, _) => 1);
        using var invocation = new Invocation(helpers);
        var program = new ExecutableProgram("helper", [Asm.CallHelper(5000), Asm.Exit()]);
        Assert.Equal(1UL, Jit.Run(program, invocation));
        helpers.Register(5000, "two", (_, _, _, _, _, _) => 2);
        Assert.Equal(2UL, Jit.Run(program, invocation));
    }

    [Fact]
    public void A_helper_registered_only_after_compiling_is_found()
    {
        var helpers = StandardHelpers.Create();
        using var invocation = new Invocation(helpers);
        var program = new ExecutableProgram("late", [Asm.CallHelper(5001), Asm.Exit()]);
        Assert.Equal("late: insn 0: call to unknown helper 5001", Assert.Throws<BpfRuntimeException>(() => Jit.Run(program, invocation)).Message);
        helpers.Register(5001, "late", (_, _, _, _, _, _) => 9);
        Assert.Equal(9UL, Jit.Run(program, invocation));
    }

    public static TheoryData<ExecutionEngine> Engines => Machine.Engines;

    [Theory, MemberData(nameof(Engines))]
    public void A_callback_named_by_a_computed_pointer_runs_on_both_engines(ExecutionEngine e)
    {
        // bpf_loop(3, callback, 0, 0) where the callback's pointer is computed: lddw names insn 8 (a function the JIT
        // compiles), the add turns it into insn 9, where the JIT has none, so it hands the callback to the
        // interpreter with the same frame rules. The callback returns 0 each time: r0 = 3 iterations.
        var code = Code(
            Asm.Mov64(R1, 3),
            Asm.LoadImm64(R2, FunctionPointer.Encode(8)), Asm.Add64(R2, 1),
            Asm.Mov64(R3, 0), Asm.Mov64(R4, 0),
            Asm.CallHelper((int)HelperId.Loop),
            Asm.Exit(),
            Asm.Ja(0),
            Asm.Mov64(R0, 0), Asm.Exit());
        Assert.Equal(3UL, Run(e, code));
    }

    [Theory, MemberData(nameof(Engines))]
    public void The_budget_stops_at_the_exact_instruction_inside_a_straight_run(ExecutionEngine e)
    {
        using var invocation = new Invocation(StandardHelpers.Create()) { InstructionBudget = 3 };
        var code = Code(Asm.Mov64(R0, 1), Asm.LoadImm64(R1, 2), Asm.Mov64(R0, 3), Asm.Mov64(R0, 4), Asm.Exit());
        var error = Assert.Throws<BpfRuntimeException>(() => Run(e, code, [], invocation: invocation));
        Assert.Equal("test: insn 4: instruction budget of 3 exhausted (a loop that does not end?)", error.Message);
        Assert.Equal(3, invocation.InstructionsExecuted);
    }
}
