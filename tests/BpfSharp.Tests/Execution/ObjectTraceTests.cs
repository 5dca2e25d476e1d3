using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Execution;

/// <summary>Traced test runs of clang-built objects: the drinks puzzle (examples/drinks, whose answers Linux 6.18 gives:
/// server1 0xf00d, server2 0xcafe), bpf_loop callbacks, and the conformance suite, which must give the same answers
/// traced as untraced.</summary>
public class ObjectTraceTests
{
    static string Drinks => Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o");

    /// <summary>Loads drinks.o with bar[0] = serve_drink.</summary>
    static BpfObject DrinksWithServeDrink()
    {
        var obj = BpfObject.Load(Drinks);
        obj.Maps["bar"].AsProgramArray()[0] = obj.Programs["serve_drink"];
        return obj;
    }

    static TraceRecorder TraceRun(BpfObject obj, string program)
    {
        var recorder = new TraceRecorder();
        obj.Programs[program].Run(new TestRunOptionsBuilder().Packet64() with { Tracer = recorder });
        return recorder;
    }

    /// <summary>Entries with function names from the object's symbols and map handles by name.</summary>
    static string[] Lines(BpfObject obj, TraceRecorder recorder)
    {
        string Function(TraceFrame f, int pc) => obj.Programs.Values.Single(p => p.Executable == f.Program).Spec.FunctionOf(pc).Name;
        string Name(TraceFrame f) => Function(f, f.EntryPc);
        string Value(ulong v) => obj.Maps.Values.FirstOrDefault(m => m.Handle == v) is { } map ? $"<{map.Name}>" : $"0x{v:x}";
        return recorder.Entries.Select(e => e switch
        {
            InstructionEntry i => $"{i.Step} {Function(i.Frame, i.Pc)} {i.Pc}: " +
                (i.Instruction.Opcode == Opcode.Lddw ? $"lddw {Value((uint)i.Instruction.Imm | (ulong)(uint)i.Frame.Program.Code[i.Pc + 1].Imm << 32)}" : i.Disassembly) +
                string.Concat(i.Changes.Select(c => $" | r{(int)c.Register} {Value(c.Before)}->{Value(c.After)}")),
            CallEntry c => $"{c.Callee.Start} {Name(c.Frame)} -> {Name(c.Callee)} depth {c.Callee.Depth}",
            ReturnEntry r => $"return {Name(r.Frame)} 0x{r.Value:x} to {(r.Frame.Caller is { } caller ? Name(caller) : "host")}",
            TailCallEntry t => $"tail call {Name(t.Frame)} -> {Name(t.Target)} depth {t.Target.Depth} {Value(t.Map)}[{t.Index}] count {t.Count}",
            HelperCallEntry h => $"helper {h.Id}",
            HelperReturnEntry h => $"helper {h.Id} -> 0x{h.Value:x}",
            _ => e.GetType().Name,
        }).ToArray();
    }

    [Fact]
    public void Server2_returns_cafe_because_serve_drink_replaces_only_bring_orders_frame_and_server2_exits_with_its_r0()
    {
        using var obj = DrinksWithServeDrink();
        var recorder = TraceRun(obj, "server2");
        // server2 is "call bring_order; exit" (musttail is a plain call in BPF); bring_order (linked after it, at 2) is
        // "r2 = bar; r3 = 0; call bpf_tail_call; r0 = 0xf00d; exit" (llvm-objdump-19 -d examples/drinks/drinks.o).
        Assert.Equal(
        [
            "0 server2 0: call 0x1",
            "Call server2 -> bring_order depth 1",
            "1 bring_order 2: lddw <bar> | r2 0x0-><bar>",
            "2 bring_order 4: r3 = 0x0",
            "3 bring_order 5: call 0xc",
            "tail call bring_order -> serve_drink depth 1 <bar>[0] count 1",
            "4 serve_drink 0: r0 = 0xcafe | r0 0x0->0xcafe",
            "5 serve_drink 1: exit",
            "return serve_drink 0xcafe to server2",
            "6 server2 1: exit",
            "return server2 0xcafe to host",
        ], Lines(obj, recorder));
        Assert.Equal(0xcafeUL, recorder.ReturnValue);
    }

    [Fact]
    public void Server1_gets_cafe_back_from_the_same_tail_call_but_overwrites_it_with_the_f00d_clang_folded_in()
    {
        using var obj = DrinksWithServeDrink();
        var recorder = TraceRun(obj, "server1");
        Assert.Equal(
        [
            "0 server1 0: call 0x2",
            "Call server1 -> bring_order depth 1",
            "1 bring_order 3: lddw <bar> | r2 0x0-><bar>",
            "2 bring_order 5: r3 = 0x0",
            "3 bring_order 6: call 0xc",
            "tail call bring_order -> serve_drink depth 1 <bar>[0] count 1",
            "4 serve_drink 0: r0 = 0xcafe | r0 0x0->0xcafe",
            "5 serve_drink 1: exit",
            "return serve_drink 0xcafe to server1",
            "6 server1 1: r0 = 0xf00d | r0 0xcafe->0xf00d",
            "7 server1 2: exit",
            "return server1 0xf00d to host",
        ], Lines(obj, recorder));
    }

    [Fact]
    public void Bpf_loop_runs_each_callback_in_a_frame_below_its_caller_and_the_call_changes_only_r0()
    {
        // callbacks.c loop_stop: bpf_loop(10, add_index, &c, 0) with c.stop_at = 3: add_index returns 0, 0, 0, 1; 4.
        using var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "callbacks", "callbacks.o"));
        var recorder = TraceRun(obj, "loop_stop");
        var events = Lines(obj, recorder).Where(l => !char.IsDigit(l[0])).ToArray();
        Assert.Equal(
        [
            $"helper {(int)HelperId.Loop}",
            "Callback loop_stop -> add_index depth 1", "return add_index 0x0 to loop_stop",
            "Callback loop_stop -> add_index depth 1", "return add_index 0x0 to loop_stop",
            "Callback loop_stop -> add_index depth 1", "return add_index 0x0 to loop_stop",
            "Callback loop_stop -> add_index depth 1", "return add_index 0x1 to loop_stop",
            $"helper {(int)HelperId.Loop} -> 0x4",
            "return loop_stop 0x4 to host",
        ], events);
        var call = recorder.Entries.OfType<InstructionEntry>().Single(i => i.Instruction.Opcode == Opcode.Call && i.Frame.Depth == 0);
        Assert.Equal([new RegisterChange(Register.R0, 0, 4)], call.Changes);
        // loop_stop keeps struct loop_ctx (16 bytes) on its stack; add_index only reaches into its caller's.
        Assert.Equal([16, 0, 0, 0, 0], recorder.Frames.Select(f => f.StackBytes));
        Assert.All(recorder.Frames.Skip(1), f => Assert.Equal((FrameStart.Callback, 1, call.Pc), (f.Start, f.Depth, f.CallSite)));
    }

    [Fact]
    public void Tracing_on_the_jit_is_refused()
    {
        using var obj = BpfObject.Load(Drinks);
        var e = Assert.Throws<InvalidRunException>(() => obj.Programs["server2"].Run(new RunOptions
        {
            Data = new byte[64], Engine = ExecutionEngine.Jit, Tracer = new TraceRecorder(),
        }));
        Assert.Equal("tracing runs on the interpreter, not the Jit", e.Message);
    }

    [FactRequires(Requirement.Shared)]
    public void The_conformance_suite_gives_the_same_r0_traced()
    {
        var failed = new List<string>();
        foreach (var test in ConformanceManifest.Positive.Values)
        {
            var program = new ExecutableProgram(test.File, InstructionDecoder.Decode(ConformanceManifest.FromHex(test.ProgramHex)));
            using var invocation = new Invocation(StandardHelpers.Create());
            var recorder = new TraceRecorder(instructionLimit: 100);
            var r0 = RawExecution.Trace(program, ConformanceManifest.FromHex(test.MemHex), invocation, recorder);
            if (r0 != ConformanceManifest.ExpectedResult(test) || recorder.ReturnValue != r0) failed.Add(test.File);
        }
        Assert.Equal(313, ConformanceManifest.Positive.Count);
        Assert.Empty(failed);
    }
}
