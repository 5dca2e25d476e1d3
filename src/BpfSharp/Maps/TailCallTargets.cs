using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Maps;

/// <summary>Resolves <c>bpf_tail_call(ctx, prog_array, index)</c> against the program arrays of this process: set it
/// as <see cref="Invocation.TailCallTargets"/>. A value that is not a live program array's handle, an index past the
/// end, or an empty slot gives null, so the call falls through, as in the kernel.</summary>
internal sealed class TailCallTargets : ITailCallTargets, IProgramSlots
{
    TailCallTargets() { }

    /// <summary>The resolver for every map of the process.</summary>
    public static TailCallTargets Instance { get; } = new();

    /// <inheritdoc/>
    /// <remarks>The index is a u32, as in the kernel (<c>u32 index = BPF_R3</c>; the JITs compare 32 bits).</remarks>
    public ExecutableProgram? Find(ulong mapPointer, ulong index) =>
        MapRegistry.Find(mapPointer) is ProgArrayMap array ? array.Get((uint)index) : null;

    /// <inheritdoc/>
    public TailCallFailure Diagnose(ulong mapPointer, ulong index) => MapRegistry.Find(mapPointer) switch
    {
        ProgArrayMap array when (uint)index >= array.MaxEntries => TailCallFailure.IndexOutOfRange,
        ProgArrayMap => TailCallFailure.EmptySlot,
        _ => TailCallFailure.NotAProgramArray,
    };

    ExecutableProgram?[]? IProgramSlots.SlotsOf(ulong mapPointer) => (MapRegistry.Find(mapPointer) as ProgArrayMap)?.ProgramSlots;
}
