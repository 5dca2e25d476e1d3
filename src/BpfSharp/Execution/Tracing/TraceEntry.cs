using BpfSharp.Isa;

namespace BpfSharp.Execution.Tracing;

/// <summary>One thing that happened in a traced run, in order. <see cref="Step"/> is the time: the index of the
/// instruction being executed when it happened (the run's instructions count from 0).</summary>
internal abstract class TraceEntry(int step, TraceFrame frame)
{
    /// <summary>The index of the instruction it belongs to.</summary>
    public int Step { get; } = step;

    /// <summary>The frame it happened in (for a call or tail call, the one that made it).</summary>
    public TraceFrame Frame { get; } = frame;
}

/// <summary>An instruction executed, with the registers r0-r9 it changed (r10 changes only with frames).</summary>
internal sealed class InstructionEntry(int step, TraceFrame frame, int pc) : TraceEntry(step, frame)
{
    internal readonly List<RegisterChange> changes = new();

    /// <summary>Its slot in the frame's program.</summary>
    public int Pc { get; } = pc;

    /// <summary>The instruction.</summary>
    public Instruction Instruction => Frame.Program.Code[Pc];

    /// <summary>Its text as llvm-objdump prints it.</summary>
    public string Disassembly => Disassembler.FormatInstruction(Frame.Program.Code, Pc);

    /// <summary>What it changed, by register number.</summary>
    public IReadOnlyList<RegisterChange> Changes => changes;
}

/// <summary>Instructions of one frame that ran past the recorder's instruction limit: counted, not recorded.</summary>
internal sealed class OmittedEntry(int step, TraceFrame frame) : TraceEntry(step, frame)
{
    /// <summary>How many.</summary>
    public int Count { get; internal set; }
}

/// <summary>A BPF-to-BPF call or a helper's callback opened <see cref="Callee"/> (its
/// <see cref="TraceFrame.Start"/> says which).</summary>
internal sealed class CallEntry(int step, TraceFrame caller, TraceFrame callee) : TraceEntry(step, caller)
{
    /// <summary>The new frame.</summary>
    public TraceFrame Callee { get; } = callee;
}

/// <summary>A frame exited with <see cref="Value"/> in r0, to its <see cref="TraceFrame.Caller"/> (the host when
/// none).</summary>
internal sealed class ReturnEntry(int step, TraceFrame frame, ulong value) : TraceEntry(step, frame)
{
    /// <summary>r0.</summary>
    public ulong Value { get; } = value;
}

/// <summary>A <c>bpf_tail_call</c> through slot <see cref="Index"/> of program array <see cref="Map"/>, successful or
/// not.</summary>
internal abstract class TailCallAttemptEntry(int step, TraceFrame frame, ulong map, uint index, int count) : TraceEntry(step, frame)
{
    /// <summary>The program array (the value the program passed in r2: a map handle).</summary>
    public ulong Map { get; } = map;

    /// <summary>The slot.</summary>
    public uint Index { get; } = index;

    /// <summary>Tail calls that have succeeded in the run, this one included if it did (at most 33).</summary>
    public int Count { get; } = count;
}

/// <summary>A tail call replaced the frame with <see cref="Target"/>.</summary>
internal sealed class TailCallEntry(int step, TraceFrame frame, TraceFrame target, ulong map, uint index, int count)
    : TailCallAttemptEntry(step, frame, map, index, count)
{
    /// <summary>The frame that runs the target program.</summary>
    public TraceFrame Target { get; } = target;
}

/// <summary>A tail call that fell through, and why; execution went on after it.</summary>
internal sealed class TailCallMissEntry(int step, TraceFrame frame, ulong map, uint index, TailCallFailure reason, int count)
    : TailCallAttemptEntry(step, frame, map, index, count)
{
    /// <summary>Why nothing happened.</summary>
    public TailCallFailure Reason { get; } = reason;
}

/// <summary>A helper was called with r1-r5.</summary>
internal sealed class HelperCallEntry(int step, TraceFrame frame, long id, ulong[] arguments) : TraceEntry(step, frame)
{
    /// <summary>The helper's id (<c>enum bpf_func_id</c> for the kernel's).</summary>
    public long Id { get; } = id;

    /// <summary>r1-r5 at the call.</summary>
    public IReadOnlyList<ulong> Arguments { get; } = arguments;
}

/// <summary>A helper returned <see cref="Value"/> in r0 (after any callbacks it ran).</summary>
internal sealed class HelperReturnEntry(int step, TraceFrame frame, long id, ulong value) : TraceEntry(step, frame)
{
    /// <summary>The helper's id.</summary>
    public long Id { get; } = id;

    /// <summary>r0.</summary>
    public ulong Value { get; } = value;
}
