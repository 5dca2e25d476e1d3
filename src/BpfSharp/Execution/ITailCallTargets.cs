using BpfSharp.Execution.Tracing;

namespace BpfSharp.Execution;

/// <summary>Resolves <c>bpf_tail_call(ctx, map, index)</c>: the program in slot <c>index</c> of the
/// program array that <c>map</c> (the value the program loaded with <c>lddw</c>) refers to.</summary>
internal interface ITailCallTargets
{
    /// <summary>The target, or null when the map is not a program array, the index is out of range or the slot is
    /// empty — in all those cases the tail call falls through.</summary>
    ExecutableProgram? Find(ulong mapPointer, ulong index);

    /// <summary>Why <see cref="Find"/> gives null for this map and index, for traces (only asked after a miss).
    /// Resolvers that cannot tell keep this answer.</summary>
    TailCallFailure Diagnose(ulong mapPointer, ulong index) => TailCallFailure.NoTarget;
}
