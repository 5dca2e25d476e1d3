using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Isa;

namespace BpfSharp.Debugging;

/// <summary>The debugger's side of a run, on the engine's thread: follows the frames as the interpreter reports them,
/// and before each instruction decides whether to stop; a stop hands control to the host's thread and waits until it
/// says how to go on (<see cref="Resume"/>). The two threads never run at once.</summary>
internal sealed class DebugTracer(DebugSession session, DebugSymbols symbols) : IInvocationTracer
{
    readonly SemaphoreSlim toEngine = new(0), toHost = new(0);
    readonly List<LiveFrame?> lanes = new();
    StepPlan plan;
    string? tailCallNews;
    int nextId;
    volatile bool abandoned;

    /// <summary>The run's invocation: its regions and stack, readable while the run is stopped.</summary>
    public Invocation? Invocation { get; private set; }

    /// <summary>The innermost frame, as of the last instruction.</summary>
    public LiveFrame? Top { get; private set; }

    /// <summary>The frames from the run's entry to <see cref="Top"/>.</summary>
    public IEnumerable<LiveFrame> Stack
    {
        get
        {
            for (var frame = Top; frame is not null; frame = frame.Caller) yield return frame;
        }
    }

    /// <summary>r1 at the start: the context.</summary>
    public ulong Context { get; private set; }

    /// <summary>Instructions run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Tail calls made so far (of <see cref="Bpf.MaxTailCalls"/>).</summary>
    public int TailCalls { get; private set; }

    /// <summary>The stop the engine handed over last.</summary>
    public DebugStop? Stop { get; set; }

    /// <summary>Host side: lets the engine go on as <paramref name="next"/> says, and waits for its next stop.</summary>
    public DebugStop Resume(StepPlan next, Action? start)
    {
        plan = next;
        if (start is not null) start();
        else toEngine.Release();
        toHost.Wait();
        return Stop!;
    }

    /// <summary>Engine side: the run is over (<see cref="Stop"/> says how); the host may go on.</summary>
    public void Finished() => toHost.Release();

    /// <summary>Host side: ends a paused run (the engine unwinds with <see cref="DebugAbandonedException"/>).</summary>
    public void Abandon()
    {
        abandoned = true;
        toEngine.Release();
    }

    public void Attach(Invocation invocation) => Invocation = invocation;

    public void Started(ExecutableProgram program, ulong r1, ulong r2)
    {
        lanes.Clear();
        (nextId, Steps, TailCalls, Context, tailCallNews, Top) = (0, 0, 0, r1, null, null);
        Open(0, program, 0, FrameStart.Run, null, null, 0);
    }

    public void Instruction(ExecutableProgram program, int pc, int depth, Span<ulong> registers)
    {
        var frame = lanes[depth]!;
        frame.Pc = pc;
        registers.CopyTo(frame.Registers);
        frame.EntryRegisters ??= registers.ToArray();
        Top = frame;
        var first = Steps++ == 0;
        if (Decide(frame, program, pc, first) is not { } stop) return;
        Stop = stop;
        toHost.Release();
        toEngine.Wait();
        if (abandoned) throw new DebugAbandonedException();
        // The host may have changed r0-r9; r10 is read-only, as for the program.
        frame.Registers.AsSpan(0, 10).CopyTo(registers);
    }

    DebugStop? Decide(LiveFrame frame, ExecutableProgram program, int pc, bool first)
    {
        var line = symbols.Line(program, pc);
        if (tailCallNews is { } news)
        {
            tailCallNews = null;
            if (session.StopOnTailCall) return Make(StopReason.TailCall, news);
        }
        if (first && session.StopOnEntry) return Make(StopReason.Entry, $"entry of {symbols.Function(program, pc)}");
        var insn = program.Code[pc];
        if (session.StopOnError && Invocation is { BoundsChecked: true } inv && Fault(inv, insn, frame.Registers) is { } fault)
            return Make(StopReason.Error, $"the next instruction would stop the run: {fault}", fault);
        if (session.BreakpointsAt(program, pc) is { } breakpoints)
            foreach (var breakpoint in breakpoints)
                if (breakpoint.Condition is null || session.Holds(breakpoint))
                {
                    breakpoint.Hits++;
                    return Make(StopReason.Breakpoint, $"breakpoint {breakpoint.Id} at {breakpoint}") with { Breakpoint = breakpoint };
                }
        if (session.StopOnHelperCall && IsHelperCall(insn))
            return Make(StopReason.HelperCall, $"call {symbols.Helper(insn.Opcode == Opcode.Callx ? (long)frame.Registers[(int)insn.Dst] : insn.Imm)}");
        return plan.EndsAt(frame, line) ? Make(StopReason.Step, $"step to {session.Where(frame)}") : null;
    }

    DebugStop Make(StopReason reason, string description, string? error = null) => new(reason, description, session.Snapshot(Top!, live: true), Error: error);

    static bool IsHelperCall(Instruction insn) =>
        insn.Opcode == Opcode.Callx || insn.Opcode == Opcode.Call && insn.Src == Register.R0 && insn.Imm != (int)HelperId.TailCall;

    /// <summary>Why the load or store would fault, as a bounds-checked run is about to find out; null when it will not
    /// (or is not a memory access).</summary>
    static string? Fault(Invocation inv, Instruction insn, ulong[] r)
    {
        var (address, access) = insn.Class switch
        {
            Bpf.LDX when Bpf.IsProbeLoad((byte)insn.Opcode) => (0UL, (MemoryAccess)0), // reads 0 rather than fault
            Bpf.LDX => (r[(int)insn.Src] + (ulong)(long)insn.Offset, MemoryAccess.Read),
            Bpf.ST => (r[(int)insn.Dst] + (ulong)(long)insn.Offset, MemoryAccess.Write),
            Bpf.STX when insn.Opcode is Opcode.AtomicB or Opcode.AtomicH or Opcode.AtomicW or Opcode.AtomicDw =>
                insn.Imm == Bpf.LOAD_ACQ ? (r[(int)insn.Src] + (ulong)(long)insn.Offset, MemoryAccess.Read)
                : (r[(int)insn.Dst] + (ulong)(long)insn.Offset, insn.Imm == Bpf.STORE_REL ? MemoryAccess.Write : MemoryAccess.ReadWrite),
            Bpf.STX => (r[(int)insn.Dst] + (ulong)(long)insn.Offset, MemoryAccess.Write),
            _ => (0UL, (MemoryAccess)0),
        };
        if (access == 0) return null;
        var size = Bpf.SizeInBytes((byte)insn.Opcode);
        if (inv.IsAccessible(address, (ulong)size, access)) return null;
        var what = access == MemoryAccess.Read ? "load" : "store";
        return $"{what} of {size} bytes at 0x{address:x} is outside {string.Join(" and ", inv.DescribeRegions())}";
    }

    public void Called(ExecutableProgram program, int callSite, int target, int depth) =>
        Open(depth, program, target, FrameStart.Call, lanes[depth - 1], null, 0);

    public void CallbackEntered(ExecutableProgram program, int target, int depth) =>
        Open(depth, program, target, FrameStart.Callback, lanes[depth - 1], null, 0);

    public void Returned(int depth, ulong r0)
    {
        lanes[depth] = null;
        Top = depth > 0 ? lanes[depth - 1] : Top;
    }

    public void TailCalled(ExecutableProgram target, ulong map, uint index, int depth, int count)
    {
        var replaced = lanes[depth]!;
        var name = symbols.Function(replaced.Program, replaced.EntryPc);
        var frame = Open(depth, target, 0, FrameStart.TailCall, replaced.Caller, name, count);
        TailCalls = count;
        tailCallNews = $"tail call {count} of {Bpf.MaxTailCalls} through {MapName(map)}[{index}]: " +
            $"{symbols.Function(frame.Program, 0)} replaces {name}";
    }

    public void TailCallFailed(ulong map, uint index, TailCallFailure reason, int count) =>
        tailCallNews = $"tail call through {MapName(map)}[{index}] fell through: {Why(reason, index)}; " +
            $"{count} of {Bpf.MaxTailCalls} tail calls used";

    static string Why(TailCallFailure reason, uint index) => reason switch
    {
        TailCallFailure.EmptySlot => $"slot {index} is empty",
        TailCallFailure.IndexOutOfRange => $"index {index} is past the end",
        TailCallFailure.LimitReached => $"{Bpf.MaxTailCalls} tail calls already happened (the limit)",
        TailCallFailure.NotAProgramArray => "not a program array",
        _ => "no program there",
    };

    public void HelperCalled(long id, ReadOnlySpan<ulong> arguments) { }

    public void HelperReturned(long id, ulong r0) { }

    string MapName(ulong map) => symbols.Map(map)?.Name ?? $"0x{map:x}";

    LiveFrame Open(int depth, ExecutableProgram program, int entryPc, FrameStart start, LiveFrame? caller, string? replaced, int tailCall)
    {
        var frame = new LiveFrame(nextId++, depth, program, entryPc, start, caller, replaced, tailCall);
        while (lanes.Count <= depth) lanes.Add(null);
        lanes[depth] = frame;
        return frame;
    }
}
