namespace BpfSharp.Execution.Tracing;

/// <summary>One frame of a traced run: a function running at a depth from one step to another. A tail call ends a
/// frame and starts the next at the same depth, which returns where the replaced one would have.</summary>
internal sealed class TraceFrame
{
    internal TraceFrame(int id, int depth, ExecutableProgram program, int entryPc, FrameStart start, TraceFrame? caller,
        int callSite, TraceFrame? replaced, int firstStep)
    {
        Id = id;
        Depth = depth;
        Program = program;
        EntryPc = entryPc;
        Start = start;
        Caller = caller;
        CallSite = callSite;
        Replaced = replaced;
        FirstStep = firstStep;
        LastStep = firstStep - 1;
    }

    /// <summary>The frame's number in order of creation; the run's entry is 0.</summary>
    public int Id { get; }

    /// <summary>Frames below the run's entry (the lane of the picture).</summary>
    public int Depth { get; }

    /// <summary>The program whose code the frame runs.</summary>
    public ExecutableProgram Program { get; }

    /// <summary>The slot where the frame's function starts in <see cref="Program"/> (0 for an entry).</summary>
    public int EntryPc { get; }

    /// <summary>How the frame began.</summary>
    public FrameStart Start { get; }

    /// <summary>Where r0 goes when the frame exits: the calling frame (for a callback, the frame whose helper ran
    /// it); null when it goes to the host.</summary>
    public TraceFrame? Caller { get; }

    /// <summary>The call (or helper call) instruction in <see cref="Caller"/>'s program that the frame returns after;
    /// -1 without a caller.</summary>
    public int CallSite { get; }

    /// <summary>For a tail call's target, the frame it replaced.</summary>
    public TraceFrame? Replaced { get; }

    /// <summary>The tail call's target that replaced this frame, if one did.</summary>
    public TraceFrame? ReplacedBy { get; internal set; }

    /// <summary>The step (index of the run's executed instructions) of the frame's first instruction.</summary>
    public int FirstStep { get; }

    /// <summary>The step of its last instruction so far (exit, or the tail call that replaced it).</summary>
    public int LastStep { get; internal set; }

    /// <summary>How it ended.</summary>
    public FrameEnd End { get; internal set; }

    /// <summary>The r0 it exited with, once <see cref="End"/> is <see cref="FrameEnd.Returned"/>.</summary>
    public ulong ReturnValue { get; internal set; }

    /// <summary>Its r10 (the top of its 512 bytes of stack).</summary>
    public ulong FramePointer { get; internal set; }

    /// <summary>How far below r10 its instructions and the pointers it passed to helpers reached: the stack bytes it
    /// used.</summary>
    public int StackBytes { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"frame {Id} ({Program.Name}+{EntryPc}, depth {Depth})";
}
