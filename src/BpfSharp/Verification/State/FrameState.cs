namespace BpfSharp.Verification.State;

/// <summary>One call frame: its registers and its 512 bytes of stack, as 64 eight-byte slots, each with a type per
/// byte and, when a whole register was spilled there, that register's state, or an iterator's.</summary>
internal sealed class FrameState
{
    public const int Slots = 64;

    public readonly RegisterState[] Registers = new RegisterState[11];
    public readonly StackByte[] StackBytes = new StackByte[Slots * 8];
    public SpillSlots Spilled { get; private set; } = new();

    // The iterators on this frame's stack, by slot; most frames have none.
    IteratorSlot[]? iterators;

    /// <summary>The iterator state of a slot whose bytes are <see cref="StackByte.Iter"/>.</summary>
    public IteratorSlot IteratorAt(int slot) => iterators?[slot] ?? default;

    public void SetIterator(int slot, IteratorSlot iterator) => (iterators ??= new IteratorSlot[Slots])[slot] = iterator;

    // The dynptrs on this frame's stack, by slot; most frames have none.
    DynptrSlot[]? dynptrs;

    /// <summary>The dynptr state of a slot whose bytes are <see cref="StackByte.Dynptr"/>.</summary>
    public DynptrSlot DynptrAt(int slot) => dynptrs?[slot] ?? default;

    public void SetDynptr(int slot, DynptrSlot dynptr) => (dynptrs ??= new DynptrSlot[Slots])[slot] = dynptr;

    /// <summary>Whether the slot's bytes are a dynptr's (the kernel never marks a slot partly so).</summary>
    public bool IsDynptr(int slot) => slot is >= 0 and < Slots && StackBytes[ByteOf(-(slot + 1) * 8)] == StackByte.Dynptr;

    /// <summary>The call instruction that created this frame (-1 for the entry frame).</summary>
    public int CallSite { get; set; } = -1;

    /// <summary>The frame's depth (0 for the entry).</summary>
    public int Depth { get; set; }

    /// <summary>For a callback frame: the helper call it serves, and the instruction to return to in the caller.</summary>
    public bool IsCallback { get; set; }

    /// <summary>Whether this is the first frame of a timer callback's path (the kernel's <c>in_async_callback_fn</c>),
    /// which must return 0.</summary>
    public bool IsAsyncCallback { get; set; }

    /// <summary>The first instruction of the function this frame runs.</summary>
    public int FunctionStart { get; set; }

    /// <summary>For a callback frame: its callers as they were when the helper started it.</summary>
    public List<FrameState>? CallersBefore { get; set; }

    /// <summary>How many slots from the top of the frame have ever been written (the rest are all Invalid), so that
    /// copies and comparisons skip the untouched part.</summary>
    public int UsedSlots { get; private set; }

    /// <summary>Notes a write at <paramref name="offset"/>.</summary>
    public void Touch(int offset) => UsedSlots = Math.Max(UsedSlots, SlotOf(offset) + 1);

    public FrameState Clone() => CopyTo(new FrameState());

    /// <summary>Makes <paramref name="copy"/> (a new frame, or one of a path that ended) this frame's equal, reusing its
    /// arrays; returns it.</summary>
    public FrameState CopyTo(FrameState copy)
    {
        (copy.CallSite, copy.Depth, copy.IsCallback, copy.IsAsyncCallback, copy.FunctionStart, copy.CallersBefore) =
            (CallSite, Depth, IsCallback, IsAsyncCallback, FunctionStart, CallersBefore);
        Registers.CopyTo(copy.Registers, 0);
        // Past this frame's used slots the bytes are Invalid: copying that far clears what the reused frame had there.
        var bytes = Math.Max(UsedSlots, copy.UsedSlots) * 8;
        StackBytes.AsSpan(StackBytes.Length - bytes).CopyTo(copy.StackBytes.AsSpan(StackBytes.Length - bytes));
        copy.UsedSlots = UsedSlots;
        Spilled.CopyTo(copy.Spilled);
        copy.iterators = (IteratorSlot[]?)iterators?.Clone();
        copy.dynptrs = (DynptrSlot[]?)dynptrs?.Clone();
        return copy;
    }

    /// <summary>The slot holding the byte at frame offset <paramref name="offset"/> (−512 ≤ offset &lt; 0).</summary>
    public static int SlotOf(int offset) => (-offset - 1) / 8;

    /// <summary>The index into <see cref="StackBytes"/> of the byte at frame offset <paramref name="offset"/>.</summary>
    public static int ByteOf(int offset) => Slots * 8 + offset;

    /// <summary>Whether this frame is covered by an old frame proven safe (registers that are live, and the stack); the
    /// live and precise registers and the precise slots are bit masks.</summary>
    public bool Within(FrameState old, IdMap ids, ushort live, ushort precise, ulong preciseSlots)
    {
        if (CallSite != old.CallSite) return false;
        for (var r = 0; r < Registers.Length; r++)
            if ((live & (1 << r)) != 0 && !Registers[r].Within(old.Registers[r], ids, (precise & (1 << r)) != 0))
                return false;
        for (var slot = 0; slot < Math.Max(UsedSlots, old.UsedSlots); slot++)
        {
            for (var b = 0; b < 8; b++)
            {
                var i = Slots * 8 - (slot + 1) * 8 + b;
                var was = old.StackBytes[i];
                var now = StackBytes[i];
                // A byte the old path never wrote could not have been read there; a Zero byte is a special Misc.
                if (was == StackByte.Invalid || was == now || (was == StackByte.Misc && now is StackByte.Zero or StackByte.Spill && !Spilled[slot].IsPointer))
                    continue;
                return false;
            }
            if (old.StackBytes[Slots * 8 - (slot + 1) * 8] == StackByte.Spill && !Spilled[slot].Within(old.Spilled[slot], ids, (preciseSlots & (1UL << slot)) != 0))
                return false;
            if (old.StackBytes[Slots * 8 - (slot + 1) * 8] == StackByte.Iter && !IteratorAt(slot).Within(old.IteratorAt(slot), ids))
                return false;
            if (old.IsDynptr(slot) && !DynptrAt(slot).Within(old.DynptrAt(slot), ids))
                return false;
        }
        return true;
    }
}
