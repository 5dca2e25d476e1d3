namespace BpfSharp.Verification.State;

/// <summary>The whole abstract state on one path: the call frames (the last is running), the references acquired and
/// not yet released (ring-buffer records), and where this path hangs in the tree of explored states.</summary>
internal sealed class VerifierState
{
    public readonly List<FrameState> Frames = new();
    public readonly List<(int Id, int Instruction)> References = new();

    /// <summary>The checkpoint this path continues from (for counting unfinished branches).</summary>
    public Checkpoint? Parent { get; set; }

    /// <summary>The instructions this path ran since <see cref="Parent"/>, in order: what precision marks are traced
    /// back through (the kernel's jump history).</summary>
    public PathHistory History { get; set; } = new();

    public FrameState Current => Frames[^1];

    /// <summary>The bpf_spin_lock this path holds: the map and the id of the value pointer it was taken through.</summary>
    public (MapShape Map, int Id)? Lock { get; set; }

    public RegisterState[] Registers => Current.Registers;

    /// <summary>How many times this path has re-run a callback (the kernel's <c>callback_unroll_depth</c>): a re-run
    /// that reaches a state of the run before is the helper's next iteration, not a loop without progress.</summary>
    public int CallbackRuns { get; set; }

    /// <summary>How many may_goto fall-throughs this path took (the kernel's <c>may_goto_depth</c>): a state met again
    /// at a may_goto one iteration later is the loop converging, not a loop without progress.</summary>
    public int MayGotoDepth { get; set; }

    /// <summary>Inside bpf_rcu_read_lock (the kernel's <c>active_rcu_lock</c>).</summary>
    public bool RcuLocked { get; set; }

    /// <summary>How many bpf_preempt_disable are not yet matched by an enable (<c>active_preempt_locks</c>).</summary>
    public int PreemptDisabled { get; set; }

    /// <summary>A copy to explore on its own, its frames and history lists taken from <paramref name="spares"/> when
    /// given. <paramref name="history"/>: the copy's history is this path's (shared, not copied), or that without the
    /// running instruction (<see cref="CopyHistory.WithoutLast"/>: the copy runs it again), or empty (a checkpoint's
    /// copy, which keeps the history itself).</summary>
    public VerifierState Clone(StatePool? spares = null, CopyHistory history = CopyHistory.Whole)
    {
        var copy = new VerifierState
        {
            Parent = Parent, Lock = Lock, CallbackRuns = CallbackRuns, MayGotoDepth = MayGotoDepth, RcuLocked = RcuLocked,
            PreemptDisabled = PreemptDisabled,
            History = history == CopyHistory.None ? new PathHistory(spares?.History()) : History.Fork(spares, history == CopyHistory.WithoutLast),
        };
        foreach (var frame in Frames) copy.Frames.Add(frame.CopyTo(spares?.Frame() ?? new FrameState()));
        copy.References.AddRange(References);
        return copy;
    }

    /// <summary>Whether this state is covered by an old one proven safe at the same instruction: in every frame, the
    /// registers that are live there, scalars exactly only where marked precise (the kernel's <c>states_equal</c>,
    /// which compares callers' frames the same way). Per frame: the live registers, the precise ones and the precise
    /// stack slots, as bit masks; <paramref name="ids"/> is cleared and used for the pairing of ids.</summary>
    public bool Within(VerifierState old, ReadOnlySpan<ushort> live, ReadOnlySpan<ushort> precise, ReadOnlySpan<ulong> preciseSlots, IdMap ids)
    {
        if (Frames.Count != old.Frames.Count || References.Count != old.References.Count || Lock != old.Lock
            || RcuLocked != old.RcuLocked || PreemptDisabled != old.PreemptDisabled)
            return false;
        ids.Clear();
        for (var i = 0; i < Frames.Count; i++)
            if (!Frames[i].Within(old.Frames[i], ids, live[i], precise[i], preciseSlots[i]))
                return false;
        for (var i = 0; i < References.Count; i++)
            if (!ids.Match(old.References[i].Id, References[i].Id)) return false;
        return true;
    }

    /// <summary>The kernel's quick test before looking for an infinite loop (<c>states_maybe_looping</c>): the running
    /// frames hold the very same registers, dead ones included.</summary>
    public bool MaybeLooping(VerifierState old) =>
        Frames.Count == old.Frames.Count && CallbackRuns == old.CallbackRuns && MayGotoDepth == old.MayGotoDepth &&
        Registers.AsSpan().SequenceEqual(old.Registers) && !IteratorDepthsDiffer(old);

    /// <summary><c>iter_active_depths_differ</c>: an active iterator one next() deeper than in the old state is another
    /// iteration of its loop, not the same state again.</summary>
    bool IteratorDepthsDiffer(VerifierState old)
    {
        for (var f = 0; f < Math.Min(Frames.Count, old.Frames.Count); f++)
            for (var slot = 0; slot < old.Frames[f].UsedSlots; slot++)
                if (old.Frames[f].StackBytes[FrameState.ByteOf(-(slot + 1) * 8)] == StackByte.Iter
                    && old.Frames[f].IteratorAt(slot) is { Drained: false } was && was.Depth != Frames[f].IteratorAt(slot).Depth)
                    return true;
        return false;
    }

    /// <summary>Equality of everything live, every scalar exactly, for the infinite-loop check (the kernel compares
    /// exactly there, so a counter that changes tells iterations apart).</summary>
    public bool SameAs(VerifierState other, ReadOnlySpan<ushort> live, ReadOnlySpan<ushort> all, ReadOnlySpan<ulong> allSlots, IdMap ids) =>
        Within(other, live, all, allSlots, ids) && other.Within(this, live, all, allSlots, ids);
}

/// <summary>A state kept at a prune point: later paths reaching the same instruction with a state it covers are
/// safe. <see cref="Branches"/> counts paths still being explored below it; while it is above zero the checkpoint is
/// on the current path (a loop) and may only be used to detect a loop that does not progress.</summary>
internal sealed class Checkpoint(int instruction, VerifierState state, Checkpoint? parent, PathHistory history)
{
    VerifierState? kept = state;

    public int Instruction { get; } = instruction;

    /// <summary>The state proven safe from here; only while the checkpoint is kept at its instruction.</summary>
    public VerifierState State => kept ?? throw new InvalidOperationException($"the checkpoint at insn {Instruction} was forgotten");

    /// <summary>Whether <see cref="Forget"/> dropped the state.</summary>
    public bool Forgotten => kept is null;

    /// <summary>Drops the state once the checkpoint is no longer compared with: paths below it still count their
    /// branches and trace precision through it, but need none of its registers or stack, and a long loop's chain of
    /// checkpoints would otherwise keep every iteration's state (80 MB per 100 000 instructions processed).</summary>
    public void Forget(StatePool spares)
    {
        if (kept is not null) spares.Recycle(kept);
        kept = null;
    }
    public Checkpoint? Parent { get; } = parent;
    public int Branches { get; set; } = 1;

    /// <summary>The instructions from <see cref="Parent"/> to here.</summary>
    public PathHistory History { get; } = history;

    /// <summary>Per frame, the registers whose exact value the paths below this checkpoint relied on; learnt while they
    /// are explored (the kernel's precision marks). Only those are compared exactly when pruning against it.</summary>
    public ushort[] PreciseRegisters { get; } = new ushort[state.Frames.Count];

    /// <summary>Per frame, the stack slots whose spilled numbers the paths below relied on.</summary>
    public ulong[] PreciseSlots { get; } = new ulong[state.Frames.Count];
}

/// <summary>What a copy of a state takes of its history.</summary>
internal enum CopyHistory
{
    /// <summary>All of it (shared).</summary>
    Whole,
    /// <summary>All but the running instruction, which the copy runs again.</summary>
    WithoutLast,
    /// <summary>None.</summary>
    None,
}
