using BpfSharp.Abi;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>The abstract interpreter at the heart of the verifier, in the kernel's manner (<c>do_check</c>): it
/// simulates every path through the program on abstract states, forking at branches whose outcome it cannot decide,
/// and checks each instruction against the state that reaches it. States reaching a prune point are compared with
/// states already proven safe there; a state the old one covers ends its path. A loop is explored iteration by
/// iteration until its exit condition is decided, and refused if a state repeats on its own path or the work passes
/// a million instructions.</summary>
internal sealed partial class Explorer
{
    const int ComplexityLimit = 1_000_000;
    const int MaxPendingBranches = 8192;
    const int MaxCheckpointsPerInstruction = 64;

    readonly VerifierInput input;
    readonly Instruction[] code;
    readonly ControlFlow flow;
    readonly ushort[] liveIn;
    readonly bool[] prunePoint;
    // Helper calls that take a callback (bpf_loop, bpf_for_each_map_elem): where the callback's runs converge.
    readonly bool[] callsCallback;
    // Calls of an iterator's next(): where the kernel always keeps a state, and where an iterator's loop converges.
    readonly bool[] iteratorNext;
    readonly List<Checkpoint>?[] checkpoints;
    readonly Stack<(int Pc, VerifierState State)> pending = new();
    readonly StatePool spares = new();
    // For comparisons that take every register and slot as precise (a frame per element, more than a state can have),
    // and the pairing of ids they all reuse.
    static readonly ushort[] allRegisters = Enumerable.Repeat(ushort.MaxValue, 64).ToArray();
    static readonly ulong[] allStackSlots = Enumerable.Repeat(ulong.MaxValue, 64).ToArray();
    readonly IdMap ids = new();
    readonly ContextRules? context;
    readonly List<string>? log;
    readonly RegisterViews? views;
    readonly int[] stackDepths;
    readonly FastcallPatterns fastcall;
    // The instructions some path reached; the others are dead code, which the loader turns into traps.
    readonly bool[] reached;
    // What each instruction gets wrong in its own fields, found once and reported when a path reaches it.
    readonly string?[] fieldErrors;
    int processed;
    // The end of the furthest context access on any path (the kernel's max_ctx_offset).
    int maxContextOffset;
    int lastProcessed;
    int jumps;
    // Where the work stood when the last checkpoint was kept (the kernel's prev_insn_processed, prev_jmps_processed).
    int processedAtCheckpoint, jumpsAtCheckpoint;
    int nextId = 1;

    Explorer(VerifierInput input, bool withLog)
    {
        this.input = input;
        code = input.Code;
        flow = ControlFlow.Check(input.Name, code, input.FunctionStarts, (pc, message) => Fail(pc, message, null));
        liveIn = Liveness.Compute(code, flow, id => HelperPrototypes.For(id, input.Helpers.NameOf(id)).Arguments.Length,
            id => KfuncPrototypes.For(id)?.Arguments.Length ?? 5);
        callsCallback = code.Select(i => i.Opcode == Opcode.Call && i.Src == Register.R0
            && HelperPrototypes.For(i.Imm, null).Arguments.Contains(ArgKind.Function)).ToArray();
        iteratorNext = code.Select(i => i.Opcode == Opcode.Call && i.Src == (Register)Bpf.PSEUDO_KFUNC_CALL
            && KfuncPrototypes.For(i.Imm) is { Role: IteratorRole.Next }).ToArray();
        prunePoint = PrunePoints();
        checkpoints = new List<Checkpoint>?[code.Length];
        context = ContextRules.For(input.Type, input.AttachTarget, input.Tracing, input.KernelBtf);
        log = withLog ? new List<string>() : null;
        views = input.CollectViews ? new RegisterViews(code.Length) : null;
        stackDepths = new int[flow.FunctionStarts.Length];
        fastcall = FastcallPatterns.Find(code, flow.FunctionStarts,
            call => FastcallPatterns.Summary(call, input.Type, id => HelperPrototypes.For(id, input.Helpers.NameOf(id))));
        reached = new bool[code.Length];
        fieldErrors = new string?[code.Length];
        for (var pc = 0; pc < code.Length; pc += code[pc].Opcode == Opcode.Lddw ? 2 : 1)
            fieldErrors[pc] = ControlFlow.FieldError(code, pc);
    }

    /// <summary>Verifies a program; throws <see cref="VerifierException"/> with diagnostics when it is unsafe.</summary>
    public static VerifierResult Verify(VerifierInput input, bool withLog = false)
    {
        var explorer = new Explorer(input, withLog);
        explorer.CheckAttachTarget();
        explorer.CheckMapsSuitProgram();
        explorer.pending.Push((0, explorer.InitialState()));
        while (explorer.pending.Count > 0)
        {
            var (pc, state) = explorer.pending.Pop();
            explorer.Walk(pc, state);
        }
        // The kernel checks call chains after simulating, with the stack depths it saw used less the bpf_fastcall
        // saves it removed (remove_fastcall_spills_fills, then check_max_stack_depth).
        var depths = explorer.fastcall.DepthsAfterRemoval(explorer.stackDepths);
        StackLimits.Check(input.Name, explorer.code, explorer.flow.FunctionStarts, depths);
        return new VerifierResult(explorer.processed, depths, explorer.log ?? [])
        {
            MaxContextOffset = explorer.maxContextOffset,
            ContextSize = explorer.context?.Size ?? 0,
            RegisterViews = explorer.views,
            Unreached = Enumerable.Range(0, explorer.code.Length)
                .Where(pc => !explorer.reached[pc] && !(pc > 0 && explorer.code[pc - 1].Opcode == Opcode.Lddw && explorer.reached[pc - 1]))
                .ToArray(),
            ProbeLoads = Enumerable.Range(0, explorer.code.Length).Where(pc => explorer.probes?[pc] == true && explorer.code[pc].Class == Bpf.LDX).ToArray(),
            MapFieldReads = explorer.mapFields?.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!.Value)
                ?? new Dictionary<int, ulong>(),
        };
    }

    /// <summary><c>bpf_lsm_verify_prog</c>: the LSM hooks BPF may not attach to (<c>bpf_lsm_disabled_hooks</c>:
    /// their return values are not errors, or they run where a program cannot).</summary>
    void CheckAttachTarget()
    {
        if (input.Tracing is { Kind: TracingTarget.Attach.Lsm } lsm && DisabledLsmHooks.Contains(lsm.Name))
            throw Fail(0, $"attach_btf_id {lsm.TypeId} points to disabled hook {lsm.FunctionName}", null,
                $"BPF programs cannot attach to the LSM hook {lsm.Name}");
    }

    static readonly HashSet<string> DisabledLsmHooks =
    [
        "vm_enough_memory", "inode_need_killpriv", "inode_getsecurity", "inode_listsecurity", "inode_copy_up_xattr",
        "getselfattr", "getprocattr", "setprocattr", "key_getsecurity", "audit_rule_match", "ismaclabel",
    ];

    /// <summary><c>check_map_prog_compatibility</c>, for each map the program names, before any path is walked: programs
    /// that may run where a lock is held or memory cannot be allocated do not get maps that need either.</summary>
    void CheckMapsSuitProgram()
    {
        var tracing = input.Type is ProgramType.Kprobe or ProgramType.Tracepoint or ProgramType.PerfEvent
            or ProgramType.RawTracepoint or ProgramType.RawTracepointWritable;
        var storages = new Dictionary<MapType, MapShape>();
        foreach (var (pc, (map, _, _)) in input.MapReferences.OrderBy(r => r.Key))
        {
            if (input.Type == ProgramType.PerfEvent && (!Preallocated(map) || map.Inner is { } inner && !Preallocated(inner)))
                throw Fail(pc, "perf_event programs can only use preallocated hash map", null,
                    $"'{map.Name}' is created with BPF_F_NO_PREALLOC; an NMI may interrupt the allocator");
            if (map.SpinLockOffset is not null && input.Type == ProgramType.SocketFilter)
                throw Fail(pc, "socket filter progs cannot use bpf_spin_lock yet", null, $"'{map.Name}' holds a bpf_spin_lock");
            if (map.SpinLockOffset is not null && tracing)
                throw Fail(pc, "tracing progs cannot use bpf_spin_lock yet", null, $"'{map.Name}' holds a bpf_spin_lock");
            if (map.TimerOffset is not null && tracing)
                throw Fail(pc, "tracing progs cannot use bpf_timer yet", null,
                    $"'{map.Name}' holds a bpf_timer, whose callback could run inside the traced code");
            // bpf_cgroup_storage_assign: a program's cgroup storage is the one of its kind it gets.
            if (map.Type is MapType.CgroupStorage or MapType.PercpuCgroupStorage && storages.TryAdd(map.Type, map) is false && storages[map.Type] != map)
                throw Fail(pc, "only one cgroup storage of each type is allowed", null,
                    $"'{map.Name}' is a second {map.Type} map: bpf_get_local_storage could not tell which one");
        }

        static bool Preallocated(MapShape map) =>
            map.Type is not (MapType.Hash or MapType.PercpuHash or MapType.HashOfMaps) || (map.Flags & MapFlags.NoPrealloc) == 0;
    }

    VerifierState InitialState()
    {
        var frame = new FrameState { FunctionStart = 0 };
        Array.Fill(frame.Registers, RegisterState.NotInit);
        frame.Registers[10] = RegisterState.Pointer(RegisterKind.Stack);
        if (input.MemorySize is { } size)
        {
            frame.Registers[1] = new RegisterState(RegisterKind.Memory, Scalar.Const(0), Range: size);
            frame.Registers[2] = RegisterState.Const((ulong)size);
        }
        else
        {
            frame.Registers[1] = RegisterState.Pointer(RegisterKind.Context);
        }
        var state = new VerifierState();
        state.Frames.Add(frame);
        return state;
    }

    /// <summary>Jump targets, conditional jumps, returns from calls and function starts: where paths meet, so where
    /// comparing states pays (the kernel's prune points).</summary>
    bool[] PrunePoints()
    {
        var points = new bool[code.Length];
        foreach (var start in flow.FunctionStarts) points[start] = true;
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.Opcode == Opcode.Lddw) { pc++; continue; }
            if (ControlFlow.IsJump(insn))
            {
                points[pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset)] = true;
                // The kernel (visit_insn) compares at a conditional jump itself, before it forks, not after.
                if (insn.Opcode is not (Opcode.Ja or Opcode.Ja32)) points[pc] = true;
            }
            else if (insn.Opcode == Opcode.Call && pc + 1 < code.Length)
            {
                points[pc + 1] = true;
                if (callsCallback[pc] || iteratorNext[pc]) points[pc] = true;
            }
        }
        return points;
    }

    /// <summary>Follows one path until it exits, is pruned, or fails.</summary>
    void Walk(int pc, VerifierState state)
    {
        while (true)
        {
            // Named at the last instruction processed, the last line of the kernel's log.
            if (++processed > ComplexityLimit)
                throw Fail(lastProcessed, $"BPF program is too large. Processed {processed} insn", state,
                    "the verifier explored a million instructions over all paths: bound loops with a constant, or split the work with bpf_loop or tail calls");
            lastProcessed = pc;
            if (prunePoint[pc] && Visited(pc, state))
            {
                EndPath(state);
                spares.Recycle(state);
                return;
            }
            var insn = code[pc];
            state.History.Add(new PathStep(pc, state.Frames.Count - 1));
            views?.Add(pc, state.Registers);
            var before = log is null ? null : (RegisterState[])state.Registers.Clone();
            var next = Step(state, insn, pc);
            if (log is not null) Log(pc, insn, before!, state);
            if (next < 0)
            {
                EndPath(state);
                spares.Recycle(state);
                return;
            }
            pc = next;
        }
    }

    /// <summary>One instruction: checks it and applies it to the state; returns the next instruction, or -1 when the
    /// path ended (the program exited).</summary>
    int Step(VerifierState state, Instruction insn, int pc)
    {
        reached[pc] = true;
        if (fieldErrors[pc] is { } error) throw Fail(pc, error, state);
        switch (insn.Class)
        {
            case Bpf.ALU or Bpf.ALU64:
                Alu(state, insn, pc);
                return pc + 1;
            case Bpf.LDX or Bpf.ST or Bpf.STX:
                MemoryInstruction(state, insn, pc);
                return pc + 1;
            case Bpf.LD:
                return LoadInstruction(state, insn, pc);
            default:
                jumps++;
                return JumpInstruction(state, insn, pc);
        }
    }

    /// <summary>Compares with the states kept at <paramref name="pc"/>; records this one when none covers it.</summary>
    bool Visited(int pc, VerifierState state)
    {
        var list = checkpoints[pc] ??= new List<Checkpoint>();
        var top = state.Frames.Count - 1;
        // A caller's r1-r5 are gone once the call returns and r0 is overwritten: what is live in its frame is what
        // its code reads after the call, among r6-r9 (and its frame pointer).
        Span<ushort> live = stackalloc ushort[state.Frames.Count];
        for (var f = 0; f < top; f++) live[f] = (ushort)(1 << 10 | liveIn[state.Frames[f + 1].CallSite + 1] & 0b11_1100_0000);
        live[top] = liveIn[pc];
        ReadOnlySpan<ushort> all = allRegisters.AsSpan(0, state.Frames.Count);
        ReadOnlySpan<ulong> allSlots = allStackSlots.AsSpan(0, state.Frames.Count);
        // As the kernel (is_state_visited): a state is kept only after 2 jumps and 8 instructions since the last one
        // kept, and inside a loop only after 20 jumps or 100 instructions; comparing costs little, keeping copies.
        // A may_goto always keeps one (the kernel's force_checkpoint): the next iteration is compared with it.
        var mayGoto = code[pc].Opcode == Opcode.MayGoto;
        var keep = mayGoto || iteratorNext[pc] || jumps - jumpsAtCheckpoint >= 2 && processed - processedAtCheckpoint >= 8;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var checkpoint = list[i];
            if (checkpoint.Branches > 0 && callsCallback[pc])
            {
                // The helper runs its callback again on what the last run left: a state within one already on this
                // path adds nothing, the callback's runs have converged (the kernel's RANGE_WITHIN at callback calls).
                if (state.Within(checkpoint.State, live, all, allSlots, ids)) return true;
                continue;
            }
            if (checkpoint.Branches > 0 && iteratorNext[pc])
            {
                // An iteration that adds nothing to one before it while the iterator is still active: the loop has
                // converged, as next() eventually returns NULL for good. Never an infinite loop.
                if (IteratorActiveAtNext(state) && state.Within(checkpoint.State, live, all, allSlots, ids)) return true;
                continue;
            }
            if (checkpoint.Branches > 0 && mayGoto && checkpoint.State.MayGotoDepth != state.MayGotoDepth
                && state.Within(checkpoint.State, live, all, allSlots, ids))
                return true; // an iteration that adds nothing to one before it: the may_goto loop has converged
            if (checkpoint.Branches > 0)
            {
                // On the current path: a loop. The same state again means it makes no progress.
                if (state.MaybeLooping(checkpoint.State) && state.SameAs(checkpoint.State, live, all, allSlots, ids))
                    throw Fail(pc, $"infinite loop detected at insn {pc}", state,
                        "this loop reaches the same state again: it cannot end; make its condition depend on a counter that changes");
                if (!mayGoto && jumps - jumpsAtCheckpoint < 20 && processed - processedAtCheckpoint < 100) keep = false;
                continue;
            }
            var preciseRegisters = checkpoint.PreciseRegisters;
            var preciseSlots = checkpoint.PreciseSlots;
            if (state.Within(checkpoint.State, live, preciseRegisters, preciseSlots, ids))
            {
                // This path's safety now rests on the numbers the old paths relied on: they matter here too.
                MarkPrecise(state, preciseRegisters, preciseSlots);
                return true;
            }
        }
        if (!keep) return false;
        if (list.Count >= MaxCheckpointsPerInstruction)
        {
            // Forgetting a checkpoint only costs pruning; prefer finished ones, else the oldest loop iteration.
            var oldest = list.FindIndex(c => c.Branches == 0);
            if (oldest < 0) oldest = 0;
            list[oldest].Forget(spares);
            list.RemoveAt(oldest);
        }
        var added = new Checkpoint(pc, state.Clone(spares, CopyHistory.None), state.Parent, state.History);
        list.Add(added);
        state.Parent = added;
        state.History = new PathHistory(spares.History());
        (processedAtCheckpoint, jumpsAtCheckpoint) = (processed, jumps);
        return false;
    }

    /// <summary>A path ended: the checkpoints above it have one unfinished path fewer.</summary>
    static void EndPath(VerifierState state)
    {
        for (var checkpoint = state.Parent; checkpoint is not null; checkpoint = checkpoint.Parent)
            if (--checkpoint.Branches > 0) break;
    }

    /// <summary>Explores <paramref name="other"/> later, from <paramref name="pc"/>.</summary>
    void Fork(int pc, VerifierState other)
    {
        if (pending.Count >= MaxPendingBranches)
            throw Fail(pc, $"The sequence of {MaxPendingBranches + 1} jumps is too complex.", other,
                "too many undecided branches in a row: simplify the control flow");
        if (other.Parent is not null) other.Parent.Branches++;
        pending.Push((pc, other));
    }

    int NewId() => nextId++;

    /// <summary>The kernel's log line for an instruction: its code, its text, and the registers it changed
    /// (<c>7: (61) r2 = *(u32 *)(r1 + 76) ; R2=pkt(r=0)</c>).</summary>
    void Log(int pc, Instruction insn, RegisterState[] before, VerifierState after)
    {
        var regs = after.Frames.Count > 0 ? after.Registers : before;
        var changed = string.Join(" ", Enumerable.Range(0, 11).Where(r => !regs[r].Equals(before[r]) && regs[r].Kind != RegisterKind.NotInit)
            .Select(r => $"R{r}={regs[r]}"));
        var line = $"{pc}: ({(byte)insn.Opcode:x2}) {Disassemble(pc)}";
        log!.Add(changed.Length == 0 ? line : $"{line,-40} ; {changed}");
    }
}
