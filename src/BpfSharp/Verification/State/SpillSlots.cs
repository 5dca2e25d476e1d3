namespace BpfSharp.Verification.State;

/// <summary>The registers spilled to a frame's stack slots, stored only as deep as the frame has spilled (most frames
/// spill little, and every branch copies them).</summary>
internal sealed class SpillSlots
{
    RegisterState[] slots = [];

    public RegisterState this[int slot]
    {
        get => slot < slots.Length ? slots[slot] : default;
        set
        {
            if (slot >= slots.Length) Array.Resize(ref slots, Math.Max(slot + 1, Math.Min(FrameState.Slots, slots.Length * 2)));
            slots[slot] = value;
        }
    }

    public SpillSlots Clone() => new() { slots = (RegisterState[])slots.Clone() };
}
