using BpfSharp.Isa;

namespace BpfSharp.Execution.Tracing;

/// <summary>Records a traced run as entries in time order and the frames they happened in: hand it to
/// <see cref="Interpreter.Trace"/> (or <see cref="RunOptions.Tracer"/>) and read it afterwards. Keeps the
/// last run. Past <paramref name="instructionLimit"/> instructions only counts them (frame changes and helper calls
/// are still recorded), past <paramref name="entryLimit"/> entries records nothing more.</summary>
internal sealed class TraceRecorder(int instructionLimit = int.MaxValue, int entryLimit = 1_000_000) : IExecutionTracer
{
    readonly List<TraceEntry> entries = new();
    readonly List<TraceFrame> frames = new();
    readonly List<TraceFrame?> lanes = new();
    readonly Stack<Suspended> helpers = new();
    readonly ulong[] before = new ulong[11];
    InstructionEntry? pending;
    TraceFrame? current;
    int lastPc;
    int recordedInstructions;
    int nextFrameId;

    /// <summary>A frame that called a helper that runs callbacks: what resumes when the helper returns.</summary>
    readonly record struct Suspended(int CallbackDepth, TraceFrame Frame, int Pc, InstructionEntry? Pending, ulong[] Before);

    /// <summary>Everything that happened, in order.</summary>
    public IReadOnlyList<TraceEntry> Entries => entries;

    /// <summary>Every frame, in order of creation; frame 0 is the run's entry.</summary>
    public IReadOnlyList<TraceFrame> Frames => frames;

    /// <summary>The program the run started with.</summary>
    public ExecutableProgram? Program { get; private set; }

    /// <summary>r1 as the run began: the context of a test run (the memory of a raw one).</summary>
    public ulong Context { get; private set; }

    /// <summary>Instructions executed (recorded or not).</summary>
    public long InstructionCount { get; private set; }

    /// <summary>Instructions executed past the instruction limit.</summary>
    public long OmittedInstructions => InstructionCount - recordedInstructions;

    /// <summary>Whether the entry limit cut the record short.</summary>
    public bool Truncated { get; private set; }

    /// <summary>r0 of the run, once it exited; null if it stopped with an error.</summary>
    public ulong? ReturnValue { get; private set; }

    int Now => (int)Math.Min(InstructionCount - 1, int.MaxValue);

    /// <inheritdoc/>
    public void Started(ExecutableProgram program, ulong r1, ulong r2)
    {
        entries.Clear();
        frames.Clear();
        lanes.Clear();
        helpers.Clear();
        (pending, Program, Context, InstructionCount, recordedInstructions, nextFrameId, Truncated, ReturnValue) = (null, program, r1, 0, 0, 0, false, null);
        current = Open(0, program, 0, FrameStart.Run, null, -1, null);
    }

    /// <inheritdoc/>
    public void Instruction(ExecutableProgram program, int pc, int depth, Span<ulong> registers)
    {
        if (pending is not null) Diff(pending, registers);
        var frame = lanes[depth]!;
        if (frame.FirstStep == InstructionCount) frame.FramePointer = registers[10];
        var insn = program.Code[pc];
        if (MemoryAddress(insn, registers) is { } address) UseStack(frame, address);
        var step = (int)Math.Min(InstructionCount++, int.MaxValue);
        frame.LastStep = step;
        (current, lastPc) = (frame, pc);
        if (recordedInstructions < instructionLimit)
        {
            recordedInstructions++;
            pending = new InstructionEntry(step, frame, pc);
            registers.CopyTo(before);
            Add(pending);
            return;
        }
        pending = null;
        if (entries.Count > 0 && entries[^1] is OmittedEntry omitted && omitted.Frame == frame) omitted.Count++;
        else if (Add(new OmittedEntry(step, frame))) ((OmittedEntry)entries[^1]).Count = 1;
    }

    /// <inheritdoc/>
    public void Called(ExecutableProgram program, int callSite, int target, int depth)
    {
        var caller = lanes[depth - 1]!;
        Add(new CallEntry(Now, caller, Open(depth, program, target, FrameStart.Call, caller, callSite, null)));
    }

    /// <inheritdoc/>
    public void CallbackEntered(ExecutableProgram program, int target, int depth)
    {
        var caller = current!;
        helpers.Push(new Suspended(depth, caller, lastPc, pending, (ulong[])before.Clone()));
        pending = null;
        Add(new CallEntry(Now, caller, Open(depth, program, target, FrameStart.Callback, caller, lastPc, null)));
    }

    /// <inheritdoc/>
    public void Returned(int depth, ulong r0)
    {
        var frame = lanes[depth]!;
        (frame.End, frame.ReturnValue) = (FrameEnd.Returned, r0);
        lanes[depth] = null;
        Add(new ReturnEntry(Now, frame, r0));
        if (helpers.TryPeek(out var suspended) && suspended.CallbackDepth == depth)
        {
            // Back in the helper: the caller's registers are as they were at its call, not as the callback left its own.
            helpers.Pop();
            (current, lastPc, pending) = (suspended.Frame, suspended.Pc, suspended.Pending);
            suspended.Before.CopyTo(before, 0);
        }
        else if (depth == 0) ReturnValue = r0;
        else current = lanes[depth - 1];
    }

    /// <inheritdoc/>
    public void TailCalled(ExecutableProgram target, ulong map, uint index, int depth, int count)
    {
        var replaced = lanes[depth]!;
        replaced.End = FrameEnd.Replaced;
        var frame = Open(depth, target, 0, FrameStart.TailCall, replaced.Caller, replaced.CallSite, replaced);
        replaced.ReplacedBy = frame;
        Add(new TailCallEntry(Now, replaced, frame, map, index, count));
    }

    /// <inheritdoc/>
    public void TailCallFailed(ulong map, uint index, TailCallFailure reason, int count) =>
        Add(new TailCallMissEntry(Now, current!, map, index, reason, count));

    /// <inheritdoc/>
    public void HelperCalled(long id, ReadOnlySpan<ulong> arguments)
    {
        // A pointer into the frame's own stack that a helper reads or writes through counts as stack the frame uses.
        foreach (var argument in arguments) UseStack(current!, argument);
        Add(new HelperCallEntry(Now, current!, id, arguments.ToArray()));
    }

    /// <inheritdoc/>
    public void HelperReturned(long id, ulong r0) => Add(new HelperReturnEntry(Now, current!, id, r0));

    TraceFrame Open(int depth, ExecutableProgram program, int entryPc, FrameStart start, TraceFrame? caller, int callSite, TraceFrame? replaced)
    {
        var frame = new TraceFrame(nextFrameId++, depth, program, entryPc, start, caller, callSite, replaced, (int)Math.Min(InstructionCount, int.MaxValue));
        if (entries.Count < entryLimit) frames.Add(frame);
        while (lanes.Count <= depth) lanes.Add(null);
        lanes[depth] = frame;
        return frame;
    }

    bool Add(TraceEntry entry)
    {
        if (entries.Count >= entryLimit)
        {
            Truncated = true;
            return false;
        }
        entries.Add(entry);
        return true;
    }

    void Diff(InstructionEntry entry, ReadOnlySpan<ulong> after)
    {
        for (var i = 0; i < 10; i++)
            if (before[i] != after[i])
                entry.changes.Add(new RegisterChange((Register)i, before[i], after[i]));
    }

    /// <summary>The address a load, store or atomic touches, from the registers before it runs.</summary>
    static ulong? MemoryAddress(Instruction insn, ReadOnlySpan<ulong> registers) => insn.Class switch
    {
        Bpf.LDX => registers[(int)insn.Src] + (ulong)(long)insn.Offset,
        Bpf.ST or Bpf.STX => registers[(int)insn.Dst] + (ulong)(long)insn.Offset,
        _ => null,
    };

    static void UseStack(TraceFrame frame, ulong address)
    {
        if (address < frame.FramePointer && frame.FramePointer - address <= Invocation.FrameSize)
            frame.StackBytes = Math.Max(frame.StackBytes, (int)(frame.FramePointer - address));
    }
}
