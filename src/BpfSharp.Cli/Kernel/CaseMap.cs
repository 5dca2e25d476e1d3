using BpfSharp.Maps;

namespace BpfSharp.Cli.Kernel;

/// <summary>A map of a case: what BPF_MAP_CREATE gets, and where its value holds a <c>struct bpf_spin_lock</c> (which
/// the kernel learns from the map's BTF; the harness writes that BTF).</summary>
/// <param name="Spec">Type, key and value size, max_entries, flags; the name is <c>mapK</c>.</param>
/// <param name="SpinLockOffset">The byte offset of the value's <c>bpf_spin_lock</c>, or null for none.</param>
public sealed record CaseMap(MapSpec Spec, int? SpinLockOffset = null);
