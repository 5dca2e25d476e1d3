namespace BpfSharp.Execution;

/// <summary>The value a program holds for one of its functions (what <c>lddw</c> with <c>BPF_PSEUDO_FUNC</c> loads:
/// the kernel puts the function's address there). BpfSharp tags the instruction index, so that a helper given a
/// callback can tell it from any other number.</summary>
internal static class FunctionPointer
{
    const ulong Tag = 0xBFCA_0000_0000_0000, TagMask = 0xFFFF_FFFF_0000_0000;

    /// <summary>The value for the function starting at <paramref name="instructionIndex"/>.</summary>
    public static ulong Encode(int instructionIndex) => Tag | (uint)instructionIndex;

    /// <summary>The instruction index a value names, if it is a function pointer.</summary>
    public static bool TryDecode(ulong value, out int instructionIndex)
    {
        instructionIndex = (int)(uint)value;
        return (value & TagMask) == Tag && instructionIndex >= 0;
    }
}
