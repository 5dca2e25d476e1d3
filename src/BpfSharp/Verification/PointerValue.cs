namespace BpfSharp.Verification;

/// <summary>What the pointer analysis knows of a register or stack slot: nothing yet, the context pointer, a pointer
/// into the current frame's stack within [r10 + Low, r10 + High], anything else, or different things on different
/// paths.</summary>
internal readonly record struct PointerValue(PointerKind Kind, int Low = 0, int High = 0)
{
    public static readonly PointerValue Unreached = new(PointerKind.Unreached);
    public static readonly PointerValue Context = new(PointerKind.Context);
    public static readonly PointerValue Other = new(PointerKind.Other);
    public static readonly PointerValue Mixed = new(PointerKind.Mixed);

    public static PointerValue Stack(int offset) => new(PointerKind.Stack, offset, offset);

    public PointerValue Join(PointerValue other)
    {
        if (this == other || other.Kind == PointerKind.Unreached) return this;
        if (Kind == PointerKind.Unreached) return other;
        if (Kind == PointerKind.Stack && other.Kind == PointerKind.Stack)
            return new PointerValue(PointerKind.Stack, Math.Min(Low, other.Low), Math.Max(High, other.High));
        return Mixed;
    }

    /// <summary>The pointer moved by a constant.</summary>
    public PointerValue Add(long delta) =>
        Kind == PointerKind.Stack && Math.Abs(delta) < 1 << 20 ? new(PointerKind.Stack, Low + (int)delta, High + (int)delta) : Other;
}

/// <summary>The kinds <see cref="PointerValue"/> tells apart.</summary>
internal enum PointerKind : byte
{
    Unreached,
    Context,
    Stack,
    Other,
    Mixed,
}
