using BpfSharp.Debugging;
using BpfSharp.Execution.Tracing;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Examples.ExampleObject;

namespace BpfSharp.Tests.Debugging;

/// <summary>The library's debug session on the shipped examples, against what their C source and the kernel say
/// (drinks.c: server2 returns 0xcafe through a tail call from its subprogram; fib.c: 8 frames for n = 7, fib(7) = 13;
/// bmc_split.c: 17 tail calls; tail_limit.c: self returns 34 after 33 tail calls on Linux 6.18).</summary>
public class DebugSessionTests
{
    static readonly RunOptions Packet = new() { Data = new byte[64] };

    static DebugSession Drinks(out BpfObject obj)
    {
        obj = Load("drinks/drinks.o");
        obj.Maps["bar"].AsProgramArray()[0] = obj.Programs["serve_drink"];
        return new DebugSession(obj, obj.Programs["server2"], Packet);
    }

    [Fact]
    public void A_breakpoint_on_return_0xcafe_stops_in_serve_drink_which_replaced_bring_order_and_returns_to_server2()
    {
        using var session = Drinks(out var obj);
        using var _ = obj;
        var breakpoint = session.Add(Breakpoint.AtLine("drinks.c", 18));
        Assert.Equal([("serve_drink", 0)], breakpoint.Locations);

        var stop = session.Continue();
        Assert.Equal(StopReason.Breakpoint, stop.Reason);
        Assert.Equal("breakpoint 1 at drinks.c:18", stop.Description);
        Assert.Equal(["serve_drink", "server2"], session.Frames.Select(f => f.Function));
        var top = session.Frames[0];
        Assert.Equal((FrameStart.TailCall, "bring_order", 1, "server2", 1), (top.Start, top.Replaced, top.TailCall, top.Caller, top.Depth));
        Assert.Equal((18, "r0 = 0xcafe"), (top.Line!.Line, top.Instruction));
        Assert.Equal((0, "call 0x1"), (session.Frames[1].Pc, session.Frames[1].Instruction));

        stop = session.StepOut();
        Assert.Equal(StopReason.Step, stop.Reason);
        Assert.Equal(("server2", 1, "exit"), (stop.Frame!.Function, stop.Frame.Pc, stop.Frame.Instruction));
        Assert.Equal(0xcafeUL, stop.Frame.Registers[0]);
        Assert.Single(session.Frames);

        stop = session.Continue();
        Assert.Equal((StopReason.Exited, 0xcafeUL, true), (stop.Reason, stop.ReturnValue, session.Ended));
        Assert.Equal(1, breakpoint.Hits);
    }

    [Fact]
    public void Stepping_by_line_goes_from_server2_into_bring_order_and_the_tail_call_into_serve_drink()
    {
        using var session = Drinks(out var obj);
        using var _ = obj;
        session.StopOnEntry = true;
        Assert.Equal(("entry of server2", 36), (session.Continue().Description, session.Frames[0].Line!.Line));
        var stop = session.StepInto();
        Assert.Equal(("bring_order", 23, 1), (stop.Frame!.Function, stop.Frame.Line!.Line, stop.Frame.Depth));
        // Line 23 is the tail call; its line runs until the frame is replaced.
        stop = session.StepOver();
        Assert.Equal(("serve_drink", FrameStart.TailCall, "bring_order"), (stop.Frame!.Function, stop.Frame.Start, stop.Frame.Replaced));
    }

    [Fact]
    public void A_changed_register_is_what_the_program_returns()
    {
        using var session = Drinks(out var obj);
        using var _ = obj;
        session.Add(Breakpoint.AtInstruction("server2", 1));
        Assert.Equal(0xcafeUL, session.Continue().Frame!.Registers[0]);
        session.SetRegister(0, 0xbeef);
        Assert.Equal(0xbeefUL, session.Frames[0].Registers[0]);
        Assert.Equal(0xbeefUL, session.Continue().ReturnValue);
        Assert.Throws<InvalidOperationException>(() => session.SetRegister(0, 1));
    }

    [Fact]
    public void Registers_show_what_the_verifier_knew_and_r10_cannot_change()
    {
        using var session = Drinks(out var obj);
        using var _ = obj;
        session.Add(Breakpoint.AtFunction("serve_drink"));
        session.Continue();
        var frame = session.Frames[0];
        // The kernel's verifier starts a tc program with R1=ctx() R10=fp0.
        Assert.Equal(["ctx()"], session.VerifierView(frame, 1));
        Assert.Equal(["fp0"], session.VerifierView(frame, 10));
        Assert.Empty(session.VerifierView(frame, 0));
        Assert.EndsWith("(ctx)", session.Registers(frame)[1].Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.SetRegister(10, 0));
        var skb = Assert.Single(session.Arguments(frame));
        Assert.Equal(("skb", "struct __sk_buff *"), (skb.Name, skb.Type));
    }

    [Fact]
    public void Breakpoints_that_name_nothing_say_what_there_is()
    {
        using var session = Drinks(out var obj);
        using var _ = obj;
        Assert.Equal("breakpoint drinks.c:99: no instruction of drinks is on that line (drinks.c has code on lines 18, 23, 24, 30, 36)",
            Assert.Throws<BpfException>(() => session.Add(Breakpoint.AtLine("drinks.c", 99))).Message);
        Assert.Equal("breakpoint bar: drinks has no function 'bar' (it has bring_order, serve_drink, server1, server2)",
            Assert.Throws<BpfException>(() => session.Add(Breakpoint.AtFunction("bar"))).Message);
        Assert.StartsWith("expression 'r1 ==': a value expected at column 6",
            Assert.Throws<BpfException>(() => session.Add(Breakpoint.AtFunction("serve_drink", "r1 =="))).Message);
        Assert.Empty(session.Breakpoints);
    }

    [Fact]
    public void Stepping_into_fib_reaches_the_8th_frame_fib0_below_fib1_to_fib6_and_fib_recursive()
    {
        using var obj = Load("fib/fib.o");
        using var session = new DebugSession(obj, obj.Programs["fib_recursive"], Packet);
        var stop = session.StepInto();
        for (var i = 0; i < 200 && session.Frames.Count < 8 && !stop.Ended; i++) stop = session.StepInto();
        Assert.Equal(["fib0", "fib1", "fib2", "fib3", "fib4", "fib5", "fib6", "fib_recursive"], session.Frames.Select(f => f.Function));
        Assert.Equal((7, FrameStart.Call), (stop.Frame!.Depth, stop.Frame.Start));
        // fib6(7) -> fib5(6) -> ... -> fib1(2) -> fib0(1): k is 1 on the way down the first branch.
        Assert.Equal(1UL, session.Evaluate("k"));
        Assert.Equal(1UL, session.Evaluate("r1"));
    }

    [Fact]
    public void A_conditional_breakpoint_stops_only_where_its_condition_holds()
    {
        using var obj = Load("fib/fib.o");
        using var session = new DebugSession(obj, obj.Programs["fib_recursive"], Packet);
        // fib(7) through fib6 .. fib0 calls fib0 twice, with k = 1 and k = 0.
        var any = session.Add(Breakpoint.AtFunction("fib0"));
        var zero = session.Add(Breakpoint.AtFunction("fib0", "r1 == 0 && calls > 0"));
        session.Remove(any);
        Assert.Equal(StopReason.Breakpoint, session.Continue().Reason);
        Assert.Equal(0UL, session.Evaluate("r1"));
        Assert.Equal((StopReason.Exited, 13UL), (session.Continue().Reason, session.LastStop!.ReturnValue));
        Assert.Equal(1, zero.Hits);
    }

    [Fact]
    public void A_map_changed_at_a_stop_is_what_the_rest_of_the_run_reads()
    {
        using var obj = Load("fib/fib.o");
        using var session = new DebugSession(obj, obj.Programs["fib_recursive"], Packet);
        session.StopOnEntry = true;
        session.Continue();
        Assert.Contains(session.Globals().Single(s => s.Name == ".data").Children, v => v is { Name: "n", Type: "__u32", Value: "7" });
        SetInput(obj, 5);
        Assert.Equal(5UL, session.Continue().ReturnValue); // fib(5)
    }

    [Fact]
    public void Stopping_on_tail_calls_counts_bmc_splits_17_and_ends_in_bmc_finish()
    {
        using var obj = Load("bmc-split/bmc_split.o");
        using var session = new DebugSession(obj, obj.Programs["bmc_start"], Packet) { StopOnTailCall = true };
        var stops = new List<DebugStop>();
        for (var stop = session.Continue(); !stop.Ended; stop = session.Continue()) stops.Add(stop);
        Assert.Equal(17, stops.Count);
        Assert.Equal("tail call 17 of 33 through stages[1]: bmc_finish replaces bmc_hash", stops[^1].Description);
        Assert.Equal(("bmc_finish", 17, "bmc_hash", 0), (stops[^1].Frame!.Function, stops[^1].Frame!.TailCall, stops[^1].Frame!.Replaced, stops[^1].Frame!.Depth));
        Assert.Equal("tail call 1 of 33 through stages[0]: bmc_hash replaces bmc_start", stops[0].Description);
    }

    [Fact]
    public void The_33rd_tail_call_is_the_last_and_the_34th_falls_through()
    {
        using var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "tailcalls", "tail_limit.o"));
        obj.Maps["loop"].AsProgramArray()[0] = obj.Programs["self"];
        using var session = new DebugSession(obj, obj.Programs["self"], Packet) { StopOnTailCall = true };
        var stop = session.Continue();
        while (session.TailCalls < 33) stop = session.Continue();
        Assert.Equal("tail call 33 of 33 through loop[0]: self replaces self", stop.Description);
        stop = session.Continue();
        Assert.Equal("tail call through loop[0] fell through: 33 tail calls already happened (the limit); 33 of 33 tail calls used", stop.Description);
        Assert.Equal(34UL, session.Continue().ReturnValue);
    }

    [Fact]
    public void Stopping_on_helper_calls_names_the_helper()
    {
        using var obj = Load("bmc-split/bmc_split.o");
        using var session = new DebugSession(obj, obj.Programs["bmc_start"], Packet) { StopOnHelperCall = true };
        var stop = session.Continue();
        Assert.Equal((StopReason.HelperCall, "call bpf_map_lookup_elem"), (stop.Reason, stop.Description));
        Assert.Equal(["fp-4 of bmc_start"], new[] { session.Registers(stop.Frame!)[2].Value.Split(" (")[1].TrimEnd(')') });
        Assert.Equal(0UL, session.Evaluate("*(u32 *)(r10 - 4)"));
    }

    [Fact]
    public void A_callback_frame_sits_above_the_frame_whose_helper_runs_it()
    {
        using var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "callbacks", "callbacks.o"));
        using var session = new DebugSession(obj, obj.Programs["loop_sum"], Packet);
        var breakpoint = session.Add(Breakpoint.AtFunction("add_index"));
        var stop = session.Continue();
        Assert.Equal(["add_index", "loop_sum"], session.Frames.Select(f => f.Function));
        Assert.Equal((FrameStart.Callback, "loop_sum", 0UL), (stop.Frame!.Start, stop.Frame.Caller, session.Evaluate("i")));
        session.Remove(breakpoint);
        Assert.Equal(("loop_sum", StopReason.Step), (session.StepOut().Frame!.Function, session.LastStop!.Reason));
        Assert.Equal(45UL, session.Continue().ReturnValue); // 0 + 1 + ... + 9
    }

    [Fact]
    public void Disposing_a_paused_session_ends_its_run()
    {
        var session = Drinks(out var obj);
        using var _ = obj;
        session.StopOnEntry = true;
        session.Continue();
        session.Dispose();
        // The object is free for the next run.
        Assert.Equal(0xcafeUL, obj.Programs["server2"].Run(Packet).R0);
    }
}
