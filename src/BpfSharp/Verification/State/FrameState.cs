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
    public int CallSite { get; init; } = -1;

    /// <summary>The frame's depth (0 for the entry).</summary>
    public int Depth { get; init; }

    /// <summary>For a callback frame: the helper call it serves, and the instruction to return to in the caller.</summary>
    public bool IsCallback { get; init; }

    /// <summary>Whether this is the first frame of a timer callback's path (the kernel's <c>in_async_callback_fn</c>),
    /// which must return 0.</summary>
    public bool IsAsyncCallback { get; init; }

    /// <summary>The first instruction of the function this frame runs.</summary>
    public int FunctionStart { get; init; }

    /// <summary>For a callback frame: its callers as they were when the helper started it.</summary>
    public List<FrameState>? CallersBefore { get; init; }

    /// <summary>How many slots from the top of the frame have ever been written (the rest are all Invalid), so that
    /// copies and comparisons skip the untouched part.</summary>
    public int UsedSlots { get; private set; }

    /// <summary>Notes a write at <paramref name="offset"/>.</summary>
    public void Touch(int offset) => UsedSlots = Math.Max(UsedSlots, SlotOf(offset) + 1);

    public FrameState Clone()
    {
        var copy = new FrameState { CallSite = CallSite, Depth = Depth, IsCallback = IsCallback, IsAsyncCallback = IsAsyncCallback, FunctionStart = FunctionStart, CallersBefore = CallersBefore };
        copy.UsedSlots = UsedSlots;
        Registers.CopyTo(copy.Registers, 0);
        var bytes = UsedSlots * 8;
        StackBytes.AsSpan(StackBytes.Length - bytes).CopyTo(copy.StackBytes.AsSpan(StackBytes.Length - bytes));
        copy.Spilled = Spilled.Clone();
        copy.iterators = (IteratorSlot[]?)iterators?.Clone();
        copy.dynptrs = (DynptrSlot[]?)dynptrs?.Clone();
        return copy;
    }

    /// <summary>The slot holding the byte at frame offset <paramref name="offset"/> (−512 ≤ offset &lt; 0).</summary>
    public static int SlotOf(int offset) => (-offset - 1) / 8;

    /// <summary>The index into <see cref="StackBytes"/> of the byte at frame offset <paramref name="offset"/>.</summary>
    public static int ByteOf(int offset) => Slots * 8 + offset;

    /// <summary>Whether this frame is covered by an old frame proven safe (registers that are live, and the stack).</summary>
    public bool Within(FrameState old, IdMap ids, Func<int, bool> live, Func<int, bool> precise, Func<int, bool> preciseSlot)
    {
        if (CallSite != old.CallSite) return false;
        for (var r = 0; r < Registers.Length; r++)
            if (live(r) && !Registers[r].Within(old.Registers[r], ids, precise(r)))
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
            if (old.StackBytes[Slots * 8 - (slot + 1) * 8] == StackByte.Spill && !Spilled[slot].Within(old.Spilled[slot], ids, preciseSlot(slot)))
                return false;
            if (old.StackBytes[Slots * 8 - (slot + 1) * 8] == StackByte.Iter && !IteratorAt(slot).Within(old.IteratorAt(slot), ids))
                return false;
            if (old.IsDynptr(slot) && !DynptrAt(slot).Within(old.DynptrAt(slot), ids))
                return false;
        }
        return true;
    }
}
