using BpfSharp.Maps;

namespace BpfSharp.Cli.Kernel;

/// <summary>A map of a case: what BPF_MAP_CREATE gets, and where its value holds a <c>struct bpf_spin_lock</c> or a
/// <c>struct bpf_timer</c> (which the kernel learns from the map's BTF; the harness writes that BTF).</summary>
/// <param name="Spec">Type, key and value size, max_entries, flags; the name is <c>mapK</c>.</param>
/// <param name="SpinLockOffset">The byte offset of the value's <c>bpf_spin_lock</c>, or null for none.</param>
/// <param name="TimerOffset">The byte offset of the value's <c>bpf_timer</c>, or null for none.</param>
internal sealed record CaseMap(MapSpec Spec, int? SpinLockOffset = null, int? TimerOffset = null)
{
    /// <summary>Whether the map is created with BTF (only when its value holds one of those).</summary>
    public bool HasBtf => SpinLockOffset is not null || TimerOffset is not null;
}
