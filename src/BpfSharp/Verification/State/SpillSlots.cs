namespace BpfSharp.Verification.State;

/// <summary>The registers spilled to a frame's stack slots, stored only as deep as the frame has spilled (most frames
/// spill little, and every branch copies them).</summary>
internal sealed class SpillSlots
{
    RegisterState[] slots = [];

    /// <summary>Slots from 0 that may hold a spill; every slot from here on reads as nothing spilled, so loops that
    /// rewrite spills stop here (writing one far slot would grow every later copy of the frame to all 64).</summary>
    public int Length => slots.Length;

    public RegisterState this[int slot]
    {
        get => slot < slots.Length ? slots[slot] : default;
        set
        {
            if (slot >= slots.Length) Array.Resize(ref slots, Math.Max(slot + 1, Math.Min(FrameState.Slots, slots.Length * 2)));
            slots[slot] = value;
        }
    }

    /// <summary>Makes <paramref name="copy"/> hold these spills, reusing its array when it is large enough.</summary>
    public void CopyTo(SpillSlots copy)
    {
        if (copy.slots.Length < slots.Length) copy.slots = new RegisterState[slots.Length];
        slots.CopyTo(copy.slots, 0);
        copy.slots.AsSpan(slots.Length).Clear();
    }
}
