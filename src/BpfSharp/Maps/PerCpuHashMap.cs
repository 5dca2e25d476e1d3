namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_PERCPU_HASH</c> (kernel/bpf/hashtab.c): a hash whose values are per execution slot; a
/// program sees its slot's copy, the host all of them, each rounded up to 8 bytes.</summary>
internal sealed class PerCpuHashMap(MapSpec spec, int slots) : HashMapBase(spec, slots, perCpu: true, lru: false);
