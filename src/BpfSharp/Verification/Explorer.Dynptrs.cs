using BpfSharp.Abi;
using BpfSharp.Helpers;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary><c>process_dynptr_func</c> for MEM_UNINIT, then <c>mark_stack_slots_dynptr</c>: a new dynptr of
    /// <paramref name="type"/> in the two slots <paramref name="pointer"/> names, written as two 8-byte stores (which
    /// end any unreferenced dynptr there and refuse to end a referenced one). A ring-buffer dynptr acquires a reference
    /// unless it is a clone, which shares its parent's (<paramref name="sharedReference"/>).</summary>
    void MakeDynptr(VerifierState state, int pc, int register, RegisterState pointer, DynptrType type, int sharedReference)
    {
        if (DynptrSlotOf(pointer) is not { } first)
            throw Fail(pc, "Dynptr has to be an uninitialized dynptr", state,
                "a dynptr takes 16 bytes of stack at a constant offset that is a multiple of 8");
        for (var i = 0; i < 2; i++)
            Access(state, pc, register, pointer, (short)(i * 8), 8, write: true, atomic: false, stored: RegisterState.UnknownScalar);
        var frame = state.Frames[pointer.Frame];
        // mark_dynptr_stack_regs numbers the dynptr before acquire_reference numbers its reference.
        var id = NewId();
        var reference = sharedReference;
        if (type == DynptrType.Ringbuf && reference == 0)
        {
            reference = NewId();
            state.References.Add((reference, pc));
        }
        foreach (var s in Slots(first, 2))
        {
            frame.Spilled[s] = RegisterState.NotInit;
            frame.SetDynptr(s, new DynptrSlot(type, s == first, id, reference));
            for (var b = 0; b < 8; b++) frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] = StackByte.Dynptr;
        }
    }

    /// <summary><c>is_dynptr_reg_valid_init</c>: the live dynptr a pointer names, its first slot on the frame's
    /// stack. <paramref name="argument"/> is the argument's number as the kernel counts it in its message.</summary>
    DynptrSlot LiveDynptr(VerifierState state, int pc, int argument, RegisterState pointer)
    {
        var frame = state.Frames[pointer.Frame];
        if (DynptrSlotOf(pointer) is not { } first || !IsLiveDynptr(frame, first))
            throw Fail(pc, $"Expected an initialized dynptr as arg #{argument}", state,
                "the pointer must name a dynptr a helper or kfunc made on this path, which no store, submit or discard has ended since");
        return frame.DynptrAt(first);
    }

    /// <summary>The reference the dynptr (or the spilled pointer) in the slot a release argument names holds, 0 for
    /// none: a ring-buffer dynptr must be released through its first slot.</summary>
    static int HeldReference(VerifierState state, RegisterState pointer)
    {
        if (DynptrSlotOf(pointer) is not { } first) return 0;
        var frame = state.Frames[pointer.Frame];
        if (first >= FrameState.Slots) return 0;
        if (frame.IsDynptr(first)) return frame.DynptrAt(first).ReferenceId;
        return frame.StackBytes[FrameState.ByteOf(-(first + 1) * 8)] == StackByte.Spill ? frame.Spilled[first].ReferenceId : 0;
    }

    /// <summary><c>dynptr_get_spi</c>: a dynptr's first slot, or null when the pointer is not at a constant offset,
    /// aligned to 8 bytes, with room for both slots.</summary>
    static int? DynptrSlotOf(RegisterState pointer) => IteratorSlotOf(pointer, 2);

    static bool IsLiveDynptr(FrameState frame, int first) => first is >= 1 and < FrameState.Slots && frame.DynptrAt(first).First &&
        frame.IsDynptr(first) && frame.IsDynptr(first - 1) && frame.DynptrAt(first - 1) is { First: false } second &&
        second.Id == frame.DynptrAt(first).Id;

    /// <summary><c>destroy_if_dynptr_stack_slot</c> for every slot a store into [<paramref name="low"/>,
    /// <paramref name="end"/>) touches: an unreferenced dynptr there ends, with the <c>bpf_dynptr_data</c> slices taken
    /// from it; a referenced one may not be overwritten, or its reference would be lost.</summary>
    void DestroyDynptrs(VerifierState state, int pc, FrameState frame, long low, long end)
    {
        for (var slot = FrameState.SlotOf((int)(end - 1)); slot <= FrameState.SlotOf((int)low); slot++)
        {
            if (!frame.IsDynptr(slot)) continue;
            var first = frame.DynptrAt(slot).First ? slot : slot + 1;
            var dynptr = frame.DynptrAt(first);
            if (dynptr.Referenced)
                throw Fail(pc, "cannot overwrite referenced dynptr", state,
                    "this ring-buffer dynptr holds its record: submit or discard it before reusing its stack");
            ForgetDynptr(frame, first);
            // Only the helper's slices (PTR_TO_MEM, maybe NULL) die: the kfuncs' are typed by the dynptr's kind and
            // outlive it, as their memory does.
            InvalidateWhere(state, r => r.DynptrId == dynptr.Id && r.Kind is RegisterKind.Memory or RegisterKind.MemoryOrNull);
        }
    }

    /// <summary>The dynptr's two slots become never-written stack.</summary>
    static void ForgetDynptr(FrameState frame, int first)
    {
        foreach (var s in Slots(first, 2))
        {
            frame.SetDynptr(s, default);
            frame.Spilled[s] = RegisterState.NotInit;
            for (var b = 0; b < 8; b++) frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] = StackByte.Invalid;
        }
    }

    /// <summary>Every register and spill matching <paramref name="dead"/> becomes an unknown number (the privileged
    /// kernel's <c>mark_reg_invalid</c>).</summary>
    static void InvalidateWhere(VerifierState state, Func<RegisterState, bool> dead)
    {
        foreach (var frame in state.Frames)
        {
            for (var r = 0; r < frame.Registers.Length; r++)
                if (dead(frame.Registers[r])) frame.Registers[r] = RegisterState.UnknownScalar;
            for (var s = 0; s < FrameState.Slots; s++)
                if (frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8)] == StackByte.Spill && dead(frame.Spilled[s]))
                    frame.Spilled[s] = RegisterState.UnknownScalar;
        }
    }

    /// <summary>The memory a dynptr slice gives: <c>bpf_dynptr_data</c>'s (writable, holding the ring-buffer
    /// dynptr's reference so that it dies with it) or a kfunc's (read-only, packet memory for skb and XDP dynptrs);
    /// NULL-checked by a new id.</summary>
    RegisterState Slice(DynptrSlot dynptr, int size, bool fromHelper) => fromHelper
        ? new RegisterState(RegisterKind.MemoryOrNull, Scalar.Const(0), Id: NewId(), Range: size, ReferenceId: dynptr.ReferenceId, DynptrId: dynptr.Id)
        : new RegisterState(RegisterKind.ReadOnlyMemoryOrNull, Scalar.Const(0), Id: NewId(), Range: size, DynptrId: dynptr.Id,
            PacketSlice: dynptr.Type is DynptrType.Skb or DynptrType.Xdp);
}
