using BpfSharp.Abi;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>A kfunc call (<c>check_kfunc_call</c>): each argument is what the kfunc's prototype asks for, in order;
    /// r0 gets its result, r1-r5 nothing; an iterator's next forks the path where it returns an element from the one
    /// where it is drained.</summary>
    int KfuncCall(VerifierState state, int id, int pc)
    {
        var prototype = KfuncPrototypes.For(id)
            ?? throw Fail(pc, $"kernel btf_id {(uint)id} is not a function", state, "BpfSharp provides no kfunc with this id");
        // The compiler calls __bpf_trap where the C had undefined behaviour (-fbpf-trap-unreachable): a path that
        // reaches one is refused, one that never does is fine.
        if (id == (int)KfuncId.Trap)
            throw Fail(pc, "unexpected __bpf_trap() due to uninitialized variable?", state, "the compiler put a trap where the C reads a variable it never set");
        if (prototype.Programs is { } types && input.Type != ProgramType.Unspec && !types.Contains(input.Type))
            throw Fail(pc, $"calling kernel function {prototype.Name} is not allowed", state, $"{input.Type} programs do not get {prototype.Name}");
        (int Frame, int Slot) iterator = default;
        var constant = 0UL;
        DynptrSlot dynptr = default;
        var sliceSize = 0;
        for (var i = 0; i < prototype.Arguments.Length; i++)
        {
            var register = i + 1;
            var value = state.Registers[register];
            switch (prototype.Arguments[i])
            {
                case KfuncArgument.Scalar:
                    if (!value.IsScalar) throw Fail(pc, $"R{register} is not a scalar", state, $"{prototype.Name} takes a number in r{register}");
                    break;
                case KfuncArgument.Constant:
                    if (!value.IsScalar) throw Fail(pc, $"R{register} is not a scalar", state, $"{prototype.Name} takes a number in r{register}");
                    if (!value.Value.IsConst) throw Fail(pc, $"R{register} must be a known constant", state, $"{prototype.Name} takes a constant in r{register}");
                    MarkPrecise(state, register);
                    constant = value.Value.Value;
                    break;
                case KfuncArgument.Iterator:
                    iterator = IteratorArgument(state, pc, i, value, prototype);
                    break;
                // A netfilter program's packet is the trusted struct sk_buff its context points to, which the skb
                // kfuncs take for the __sk_buff they name (Linux 6.18 accepts verifier_netfilter_ctx's test6).
                case KfuncArgument.Context when input.Type == ProgramType.Netfilter
                    && value is { Kind: RegisterKind.BtfObject, Btf: { Name: "sk_buff", Flags: BtfPointerFlags.Trusted }, Offset: 0 }:
                    break;
                case KfuncArgument.Context:
                    if (value.Kind != RegisterKind.Context)
                        throw Fail(pc, $"arg#{i} expected pointer to ctx, but got {KindName(value)}", state, $"{prototype.Name} takes the context in r{register}");
                    CheckUnmodified(state, pc, register, value);
                    if (prototype.Returns == KfuncReturn.KernelContext && !HasKernelContextStruct(input.Type))
                        throw Fail(pc, $"kern ctx type of {input.Type} programs is not a struct", state,
                            "the kernel has no struct behind this program type's context (it names the type's vmlinux BTF id)");
                    break;
                case KfuncArgument.Dynptr or KfuncArgument.NewDynptr when value.Kind != RegisterKind.Stack:
                    throw Fail(pc, $"arg#{i} expected pointer to stack or const struct bpf_dynptr", state,
                        $"{prototype.Name} takes a pointer to a struct bpf_dynptr on the stack in r{register}");
                case KfuncArgument.Dynptr:
                    dynptr = LiveDynptr(state, pc, i, value);
                    break;
                case KfuncArgument.NewDynptr:
                    // A clone is of its parent's type and shares its reference.
                    MakeDynptr(state, pc, register, value, prototype.Creates != DynptrType.Invalid ? prototype.Creates : dynptr.Type,
                        prototype.Creates != DynptrType.Invalid ? 0 : dynptr.ReferenceId);
                    break;
                case KfuncArgument.OptionalBuffer:
                    sliceSize = ConstantBufferSize(state, pc, register, value);
                    break;
            }
        }
        if (prototype.Refusal is { } refusal) throw Fail(pc, refusal, state, $"the kernel does not let programs call {prototype.Name}");
        EnterOrLeave(state, pc, prototype);
        if (prototype.ChangesPacket) InvalidatePacketPointers(state);
        for (var r = 0; r <= 5; r++) state.Registers[r] = RegisterState.NotInit;
        state.Registers[0] = prototype.Returns switch
        {
            KfuncReturn.Integer => RegisterState.UnknownScalar,
            KfuncReturn.ReadOnlyIntOrNull => new RegisterState(RegisterKind.ReadOnlyMemoryOrNull, Scalar.Const(0), Id: NewId(), Range: 4),
            KfuncReturn.DynptrSliceOrNull => Slice(dynptr, sliceSize, fromHelper: false),
            KfuncReturn.KernelContext => RegisterState.Pointer(RegisterKind.BtfObject),
            KfuncReturn.UntrustedCast => UntrustedCast(state, pc, constant),
            _ => RegisterState.NotInit,
        };
        if (prototype.Role == IteratorRole.Next) IteratorNext(state, pc, iterator.Frame, iterator.Slot);
        return pc + 1;
    }

    /// <summary><c>get_kern_ctx_btf_id</c>: the program types whose kernel context (<c>bpf_types.h</c>) is a number or
    /// a bare pointer have no struct to cast to.</summary>
    static bool HasKernelContextStruct(ProgramType type) => type is not (ProgramType.Tracepoint
        or ProgramType.RawTracepoint or ProgramType.RawTracepointWritable or ProgramType.LircMode2
        or ProgramType.Tracing or ProgramType.StructOps or ProgramType.Ext or ProgramType.Lsm
        or ProgramType.Syscall);

    /// <summary>A <c>buffer__opt</c>, <c>buffer__szk</c> pair (KF_ARG_PTR_TO_MEM_SIZE): a buffer, unless NULL, that
    /// holds the size and may be written; the size a constant, which is the slice's size.</summary>
    int ConstantBufferSize(VerifierState state, int pc, int register, RegisterState buffer)
    {
        var size = Read(state, register + 1, pc);
        if (!IsNull(buffer))
            CheckMemory(state, pc, register, buffer, CheckSize(state, pc, register + 1, size, canBeZero: true), write: true, "buffer");
        if (!size.IsScalar || !size.Value.IsConst)
            throw Fail(pc, $"R{register + 1} must be a known constant", state, "the slice's size must be a constant");
        MarkPrecise(state, register + 1);
        return (int)Math.Min(size.Value.Value, int.MaxValue);
    }

    /// <summary>check_kfunc_call's RCU and preemption regions: one RCU read side at a time, no unlock or enable
    /// without its lock or disable.</summary>
    void EnterOrLeave(VerifierState state, int pc, KfuncPrototype prototype)
    {
        switch (prototype.Region)
        {
            case KfuncRegion.RcuLock when state.RcuLocked:
                throw Fail(pc, $"nested rcu read lock (kernel function {prototype.Name})", state, "this path already holds bpf_rcu_read_lock");
            case KfuncRegion.RcuLock:
                state.RcuLocked = true;
                break;
            case KfuncRegion.RcuUnlock when !state.RcuLocked:
                throw Fail(pc, $"unmatched rcu read unlock (kernel function {prototype.Name})", state, "this path holds no bpf_rcu_read_lock");
            case KfuncRegion.RcuUnlock:
                state.RcuLocked = false;
                break;
            case KfuncRegion.PreemptDisable:
                state.PreemptDisabled++;
                break;
            case KfuncRegion.PreemptEnable when state.PreemptDisabled == 0:
                throw Fail(pc, $"unmatched attempt to enable preemption (kernel function {prototype.Name})", state,
                    "this path did not disable preemption");
            case KfuncRegion.PreemptEnable:
                state.PreemptDisabled--;
                break;
        }
    }

    /// <summary>check_resource_leak's regions: an exit from the program or a tail call (<paramref name="what"/>) must not
    /// leave an RCU read side or preemption off behind.</summary>
    void CheckRegionsClosed(VerifierState state, int pc, string what)
    {
        if (state.RcuLocked)
            throw Fail(pc, $"{what} cannot be used inside bpf_rcu_read_lock-ed region", state, "call bpf_rcu_read_unlock on every path first");
        if (state.PreemptDisabled > 0)
            throw Fail(pc, $"{what} cannot be used inside bpf_preempt_disable-ed region", state, "call bpf_preempt_enable on every path first");
    }

    /// <summary><c>process_iter_arg</c>: the iterator a kfunc takes in argument <paramref name="index"/>, at a constant,
    /// slot-aligned place of a frame's stack; new() wants it uninitialised and creates it (a reference the program must
    /// release), the others want it created, and destroy() releases it. Returns its frame and first slot.</summary>
    (int Frame, int Slot) IteratorArgument(VerifierState state, int pc, int index, RegisterState pointer, KfuncPrototype prototype)
    {
        var register = index + 1;
        if (pointer.Kind != RegisterKind.Stack)
            throw Fail(pc, IsNull(pointer) ? $"Possibly NULL pointer passed to trusted arg{index}" : $"arg#{index} expected pointer to an iterator on stack",
                state, $"{prototype.Name} takes a pointer to a struct bpf_iter_{prototype.Iterator} on the stack");
        var frame = state.Frames[pointer.Frame];
        var slot = IteratorSlotOf(pointer, prototype.IteratorSlots);
        if (prototype.Role == IteratorRole.New)
        {
            // Already an iterator there: the old one would leak.
            if (slot is not { } first || Slots(first, prototype.IteratorSlots).Any(s => IsIterator(frame, s)))
                throw Fail(pc, $"expected uninitialized iter_{prototype.Iterator} as arg #{index}", state,
                    slot is null ? "an iterator sits at a constant offset of the stack, aligned to 8 bytes"
                        : "this iterator already exists: destroy it before creating another in its place");
            for (var i = 0; i < prototype.IteratorSlots; i++)
                Access(state, pc, register, pointer, (short)(i * 8), 8, write: true, atomic: false, stored: RegisterState.UnknownScalar);
            var reference = NewId();
            state.References.Add((reference, pc));
            foreach (var s in Slots(first, prototype.IteratorSlots))
            {
                frame.Spilled[s] = RegisterState.NotInit;
                frame.SetIterator(s, new IteratorSlot(prototype.Iterator!, s == first ? reference : 0, Drained: false, Depth: 0));
                for (var b = 0; b < 8; b++) frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] = StackByte.Iter;
            }
            return (pointer.Frame, first);
        }
        if (slot is not { } start || !IsLiveIterator(frame, start, prototype))
            throw Fail(pc, $"expected an initialized iter_{prototype.Iterator} as arg #{index}", state,
                $"r{register} must point to an iterator bpf_iter_{prototype.Iterator}_new created on this path and no store overwrote");
        if (prototype.Role == IteratorRole.Destroy)
        {
            Release(state, frame.IteratorAt(start).ReferenceId);
            foreach (var s in Slots(start, prototype.IteratorSlots))
            {
                frame.SetIterator(s, default);
                for (var b = 0; b < 8; b++) frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] = StackByte.Invalid;
            }
        }
        return (pointer.Frame, start);
    }

    /// <summary><c>stack_slot_obj_get_spi</c>: the slot an iterator pointer names (the highest of its slots), or null
    /// when the pointer is not at a constant offset, aligned to 8 bytes, with room for the whole iterator.</summary>
    static int? IteratorSlotOf(RegisterState pointer, int slots)
    {
        if (!pointer.Value.IsConst) return null;
        var offset = pointer.Offset + (long)pointer.Value.Value;
        if (offset % 8 != 0 || offset >= 0) return null;
        var slot = (int)((-offset - 1) / 8);
        return slot + 1 < slots ? null : slot;
    }

    /// <summary>An iterator's slots, from the one its pointer names down towards r10.</summary>
    static IEnumerable<int> Slots(int first, int count) => Enumerable.Range(0, count).Select(i => first - i);

    static bool IsIterator(FrameState frame, int slot) => slot < FrameState.Slots &&
        Enumerable.Range(0, 8).Any(b => frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8 + b)] == StackByte.Iter);

    /// <summary><c>is_iter_reg_valid_init</c>: every byte an iterator's, of this type, the reference on the first slot.</summary>
    static bool IsLiveIterator(FrameState frame, int first, KfuncPrototype prototype) => first < FrameState.Slots &&
        Slots(first, prototype.IteratorSlots).All(s =>
            Enumerable.Range(0, 8).All(b => frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] == StackByte.Iter)
            && frame.IteratorAt(s).Type == prototype.Iterator && (frame.IteratorAt(s).ReferenceId != 0) == (s == first));

    /// <summary><c>process_iter_next_call</c>: the kernel does not unroll an iterator's loop. An active iterator's
    /// next() forks a path where it returned an element (r0 the 4 readable bytes, the iterator one iteration deeper,
    /// scalars that changed since the previous iteration widened) and goes on with the one where it is drained (r0 =
    /// NULL, for ever after). The loop has converged when a path reaches next() again in a state within the one of an
    /// earlier iteration (<see cref="Visited"/>).</summary>
    void IteratorNext(VerifierState state, int pc, int frameIndex, int slot)
    {
        var frame = state.Frames[frameIndex];
        var iterator = frame.IteratorAt(slot);
        if (!iterator.Drained)
        {
            var queued = state.Clone(spares);
            queued.Frames[frameIndex].SetIterator(slot, iterator with { Depth = iterator.Depth + 1 });
            if (PreviousIteration(state, pc) is { } previous) WidenImprecise(previous, queued);
            queued.Registers[0] = queued.Registers[0] with { Kind = queued.Registers[0].NotNull };
            Fork(pc + 1, queued);
        }
        frame.SetIterator(slot, iterator with { Drained = true });
        state.Registers[0] = RegisterState.Const(0);
    }

    /// <summary>Whether the iterator the next() call at hand names (its r1) is still active: only then does a state
    /// met again there mean the loop converged.</summary>
    static bool IteratorActiveAtNext(VerifierState state)
    {
        var pointer = state.Registers[1];
        if (pointer.Kind != RegisterKind.Stack || IteratorSlotOf(pointer, 1) is not { } slot || slot >= FrameState.Slots) return false;
        var frame = state.Frames[pointer.Frame];
        return frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8)] == StackByte.Iter && !frame.IteratorAt(slot).Drained;
    }
}
