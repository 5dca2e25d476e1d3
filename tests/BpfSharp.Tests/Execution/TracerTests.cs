using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Execution.Machine;

namespace BpfSharp.Tests.Execution;

/// <summary>Interpreter.Trace with the TraceRecorder: the exact entries of small assembled programs, each expected
/// sequence worked out by hand from the program and the kernel's rules (DESIGN.md §3).</summary>
public class TracerTests
{
    const ulong Map = 0x1000;
    const int AddHelper = 1000;

    static Instruction[] TailCall(int slot) => Code(Asm.LoadImm64(R2, Map), Asm.Mov64(R3, slot), Asm.CallHelper((int)HelperId.TailCall));

    static ExecutableProgram Returns(string name, int value) => new(name, [Asm.Mov64(R0, value), Asm.Exit()]);

    /// <summary>Helper 1000 returns r1 + 10 * r2.</summary>
    static HelperTable WithAddHelper()
    {
        var helpers = StandardHelpers.Create();
        helpers.Register(AddHelper, "add", (_, r1, r2, _, _, _) => r1 + 10 * r2);
        return helpers;
    }

    static TraceRecorder Trace(Instruction[] code, ITailCallTargets? targets = null, int limit = int.MaxValue, bool boundsChecked = true,
        byte[]? memory = null)
    {
        var recorder = new TraceRecorder(limit);
        using var invocation = new Invocation(WithAddHelper()) { TailCallTargets = targets, BoundsChecked = boundsChecked };
        // These hand-written programs are safe: trusted as a verified program would be, for the unchecked runs.
        RawExecution.Trace(new ExecutableProgram("main", code) { Verified = true }, memory ?? [], invocation, recorder);
        return recorder;
    }

    /// <summary>One line per entry, in a form written for these tests.</summary>
    static string Describe(TraceEntry entry) => entry switch
    {
        InstructionEntry i => $"{i.Step} f{i.Frame.Id} {i.Pc}: {i.Disassembly}" +
            string.Concat(i.Changes.Select(c => $" | {c.Register.ToString().ToLowerInvariant()} 0x{c.Before:x}->0x{c.After:x}")),
        CallEntry c => $"call f{c.Frame.Id} -> f{c.Callee.Id} {c.Callee.Start} depth {c.Callee.Depth} at {c.Callee.EntryPc}",
        ReturnEntry r => $"return f{r.Frame.Id} 0x{r.Value:x} to {(r.Frame.Caller is { } caller ? $"f{caller.Id}" : "host")}",
        TailCallEntry t => $"tail call f{t.Frame.Id} -> f{t.Target.Id} {t.Target.Program.Name} depth {t.Target.Depth} [{t.Index}] count {t.Count}",
        TailCallMissEntry m => $"tail call miss [{m.Index}] {m.Reason} count {m.Count}",
        HelperCallEntry h => $"helper {h.Id}({string.Join(", ", h.Arguments.Select(a => $"0x{a:x}"))})",
        HelperReturnEntry h => $"helper {h.Id} -> 0x{h.Value:x}",
        OmittedEntry o => $"omitted f{o.Frame.Id} {o.Count}",
        _ => throw new ArgumentException(entry.GetType().Name),
    };

    static string[] Lines(TraceRecorder recorder) => recorder.Entries.Select(Describe).ToArray();

    [Fact]
    public void A_call_opens_a_frame_one_deeper_and_its_exit_hands_r0_back()
    {
        // main: r6 = 1; call sub; r0 += r6; exit.  sub (insn 4): r0 = 7; exit.
        var recorder = Trace(Code(Asm.Mov64(R6, 1), Asm.CallLocal(2), Asm.Alu(Opcode.Add64Reg, R0, R6), Asm.Exit(),
            Asm.Mov64(R0, 7), Asm.Exit()));
        Assert.Equal(
        [
            "0 f0 0: r6 = 0x1 | r6 0x0->0x1",
            "1 f0 1: call 0x2",
            "call f0 -> f1 Call depth 1 at 4",
            "2 f1 4: r0 = 0x7 | r0 0x0->0x7",
            "3 f1 5: exit",
            "return f1 0x7 to f0",
            "4 f0 2: r0 += r6 | r0 0x7->0x8",
            "5 f0 3: exit",
            "return f0 0x8 to host",
        ], Lines(recorder));
        Assert.Equal(8UL, recorder.ReturnValue);
        Assert.Equal(6, recorder.InstructionCount);
        var (main, sub) = (recorder.Frames[0], recorder.Frames[1]);
        Assert.Equal((FrameStart.Run, 0, 0, 5, FrameEnd.Returned, 8UL), (main.Start, main.Depth, main.FirstStep, main.LastStep, main.End, main.ReturnValue));
        Assert.Equal((FrameStart.Call, 1, 2, 3, main, 1, 7UL), (sub.Start, sub.Depth, sub.FirstStep, sub.LastStep, sub.Caller, sub.CallSite, sub.ReturnValue));
        Assert.Equal(Invocation.FrameSize, (long)(main.FramePointer - sub.FramePointer));
    }

    [Fact]
    public void Calls_seven_deep_give_frames_at_depths_0_to_7()
    {
        // f_k at slot 2k: call +1 (to slot 2k + 2, the next function); exit. The last one: r0 = 0x77; exit.
        var code = new List<Instruction>();
        for (var k = 0; k < 7; k++) code.AddRange([Asm.CallLocal(1), Asm.Exit()]);
        code.AddRange([Asm.Mov64(R0, 0x77), Asm.Exit()]);
        var recorder = Trace([.. code]);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], recorder.Frames.Select(f => f.Depth));
        Assert.Equal([0, 2, 4, 6, 8, 10, 12, 14], recorder.Frames.Select(f => f.EntryPc));
        Assert.All(recorder.Frames, f => Assert.Equal((FrameEnd.Returned, 0x77UL), (f.End, f.ReturnValue)));
        Assert.Equal([7, 6, 5, 4, 3, 2, 1, 0], recorder.Entries.OfType<ReturnEntry>().Select(r => r.Frame.Depth));
    }

    [Fact]
    public void A_tail_call_from_a_subprogram_replaces_only_that_frame_and_its_r0_goes_to_the_subprograms_caller()
    {
        // main: r6 = 1; call sub; r0 += r6; exit.  sub (insn 4): tail-call slot 0; r0 = 0xf00d; exit.
        var recorder = Trace(Code(Asm.Mov64(R6, 1), Asm.CallLocal(2), Asm.Alu(Opcode.Add64Reg, R0, R6), Asm.Exit(),
            TailCall(0), Asm.Mov64(R0, 0xf00d), Asm.Exit()), new FakeProgramArray(Map, Returns("serve_drink", 0xcafe)));
        Assert.Equal(
        [
            "0 f0 0: r6 = 0x1 | r6 0x0->0x1",
            "1 f0 1: call 0x2",
            "call f0 -> f1 Call depth 1 at 4",
            "2 f1 4: r2 = 0x1000 ll | r2 0x0->0x1000",
            "3 f1 6: r3 = 0x0",
            "4 f1 7: call 0xc",
            "tail call f1 -> f2 serve_drink depth 1 [0] count 1",
            "5 f2 0: r0 = 0xcafe | r0 0x0->0xcafe",
            "6 f2 1: exit",
            "return f2 0xcafe to f0",
            "7 f0 2: r0 += r6 | r0 0xcafe->0xcaff",
            "8 f0 3: exit",
            "return f0 0xcaff to host",
        ], Lines(recorder));
        var (main, sub, target) = (recorder.Frames[0], recorder.Frames[1], recorder.Frames[2]);
        Assert.Equal((FrameEnd.Replaced, target), (sub.End, sub.ReplacedBy));
        Assert.Equal((FrameStart.TailCall, sub, main, 1), (target.Start, target.Replaced, target.Caller, target.CallSite));
        Assert.Equal((FrameEnd.Returned, 0xcaffUL), (main.End, main.ReturnValue));
        Assert.Equal(sub.FramePointer, target.FramePointer);
    }

    [Fact]
    public void A_chain_counts_33_tail_calls_then_the_34th_falls_through_at_the_limit()
    {
        // counter: tail-calls itself (slot 0) until the kernel's budget runs out, then returns 0xf00d.
        var counter = new ExecutableProgram("counter", Code(TailCall(0), Asm.Mov64(R0, 0xf00d), Asm.Exit()));
        var recorder = Trace(counter.Code.ToArray(), new FakeProgramArray(Map, counter));
        var tailCalls = recorder.Entries.OfType<TailCallEntry>().ToList();
        Assert.Equal(Enumerable.Range(1, 33), tailCalls.Select(t => t.Count));
        Assert.All(tailCalls, t => Assert.Equal((0, "counter"), (t.Target.Depth, t.Target.Program.Name)));
        var miss = Assert.Single(recorder.Entries.OfType<TailCallMissEntry>());
        Assert.Equal((TailCallFailure.LimitReached, 33), (miss.Reason, miss.Count));
        Assert.Equal(34, recorder.Frames.Count);
        Assert.All(recorder.Frames.Skip(1), f => Assert.Same(recorder.Frames[f.Id - 1], f.Replaced));
        Assert.Equal((FrameEnd.Returned, 0xf00dUL), (recorder.Frames[33].End, recorder.Frames[33].ReturnValue));
        Assert.Equal(["return f33 0xf00d to host"], recorder.Entries.OfType<ReturnEntry>().Select(Describe));
        Assert.Equal(34 * 3 + 2, recorder.InstructionCount); // lddw, mov, call in each program; mov, exit in the last
    }

    [Fact]
    public void A_failed_tail_call_falls_through_and_says_why()
    {
        // Three tail calls through a real program array of 2 slots (both empty) and a value that is no map.
        using var map = BpfMap.Create(new MapSpec("jmp", MapType.ProgArray, 4, 4, 2), 2);
        var code = Code(Asm.LoadImm64(R2, map.Handle), Asm.Mov64(R3, 1), Asm.CallHelper((int)HelperId.TailCall),
            Asm.LoadImm64(R2, map.Handle), Asm.Mov64(R3, 2), Asm.CallHelper((int)HelperId.TailCall),
            Asm.LoadImm64(R2, 0x1234), Asm.Mov64(R3, 0), Asm.CallHelper((int)HelperId.TailCall),
            Asm.Mov64(R0, 0xf00d), Asm.Exit());
        var recorder = Trace(code, TailCallTargets.Instance);
        Assert.Equal(
            ["tail call miss [1] EmptySlot count 0", "tail call miss [2] IndexOutOfRange count 0", "tail call miss [0] NotAProgramArray count 0"],
            recorder.Entries.OfType<TailCallMissEntry>().Select(Describe));
        // lddw is one instruction: each try is lddw, mov, call.
        Assert.Equal([2, 5, 8], recorder.Entries.OfType<TailCallMissEntry>().Select(m => m.Step));
        Assert.Equal(0xf00dUL, recorder.ReturnValue);
        Assert.Single(recorder.Frames);
    }

    [Fact]
    public void A_helper_call_shows_its_arguments_and_result_and_the_instruction_changes_r0()
    {
        var recorder = Trace(Code(Asm.Mov64(R1, 2), Asm.Mov64(R2, 3), Asm.CallHelper(AddHelper), Asm.Exit()));
        Assert.Equal(
        [
            "0 f0 0: r1 = 0x2 | r1 0x0->0x2",
            "1 f0 1: r2 = 0x3 | r2 0x0->0x3",
            "2 f0 2: call 0x3e8 | r0 0x0->0x20",
            "helper 1000(0x2, 0x3, 0x0, 0x0, 0x0)",
            "helper 1000 -> 0x20",
            "3 f0 3: exit",
            "return f0 0x20 to host",
        ], Lines(recorder));
        Assert.Equal([new RegisterChange(R0, 0, 0x20)], ((InstructionEntry)recorder.Entries[2]).Changes);
    }

    [Fact]
    public void Stack_bytes_are_how_far_below_r10_a_frame_reached_including_pointers_it_gave_helpers()
    {
        // main: *(u64 *)(r10 - 16) = 1; r1 = r10; r1 += -40; call add; call sub; exit.  sub: *(u8 *)(r10 - 3) = 7; exit.
        var recorder = Trace(Code(Asm.Store(Opcode.StDw, R10, -16, 1), Asm.Mov64(R1, R10), Asm.Add64(R1, -40), Asm.CallHelper(AddHelper),
            Asm.CallLocal(1), Asm.Exit(), Asm.Store(Opcode.StB, R10, -3, 7), Asm.Exit()));
        Assert.Equal([40, 3], recorder.Frames.Select(f => f.StackBytes));
    }

    [Fact]
    public void Past_the_instruction_limit_instructions_are_counted_not_recorded()
    {
        // r0 = 0; loop: r0 += 1; if r0 < 10 goto loop; exit: 1 + 10 * 2 + 1 = 22 instructions.
        var recorder = Trace(Code(Asm.Mov64(R0, 0), Asm.Add64(R0, 1), Asm.Jump(Opcode.JltImm, R0, 10, -2), Asm.Exit()), limit: 5);
        Assert.Equal(
        [
            "0 f0 0: r0 = 0x0",
            "1 f0 1: r0 += 0x1 | r0 0x0->0x1",
            "2 f0 2: if r0 < 0xa goto -0x2",
            "3 f0 1: r0 += 0x1 | r0 0x1->0x2",
            "4 f0 2: if r0 < 0xa goto -0x2",
            "omitted f0 17",
            "return f0 0xa to host",
        ], Lines(recorder));
        Assert.Equal((22L, 17L), (recorder.InstructionCount, recorder.OmittedInstructions));
    }

    [Fact]
    public void Unchecked_mode_traces_the_same_entries()
    {
        var code = Code(Asm.Mov64(R6, 1), Asm.CallLocal(2), Asm.Alu(Opcode.Add64Reg, R0, R6), Asm.Exit(), Asm.Mov64(R0, 7), Asm.Exit());
        Assert.Equal(Lines(Trace(code)), Lines(Trace(code, boundsChecked: false)));
    }

    [Fact]
    public void A_recorder_keeps_only_the_last_run()
    {
        var recorder = new TraceRecorder();
        using var invocation = new Invocation(StandardHelpers.Create());
        var program = new ExecutableProgram("main", [Asm.Mov64(R0, 1), Asm.Exit()]);
        Interpreter.Trace(program, invocation, recorder);
        Interpreter.Trace(program, invocation, recorder);
        Assert.Equal(["0 f0 0: r0 = 0x1 | r0 0x0->0x1", "1 f0 1: exit", "return f0 0x1 to host"], Lines(recorder));
    }
}
