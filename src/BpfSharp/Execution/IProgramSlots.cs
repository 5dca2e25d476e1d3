namespace BpfSharp.Execution;

/// <summary>A tail-call resolver whose program arrays are plain slot arrays (index = slot): the JIT keeps the last
/// one a run used and reads slots directly, instead of resolving the map on every call.</summary>
internal interface IProgramSlots
{
    /// <summary>The slots of the program array <paramref name="mapPointer"/> names, or null when it names none.</summary>
    ExecutableProgram?[]? SlotsOf(ulong mapPointer);
}
