namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_LRU_PERCPU_HASH</c> (kernel/bpf/hashtab.c): an LRU hash with per-slot values.</summary>
internal sealed class LruPerCpuHashMap(MapSpec spec, int slots) : HashMapBase(spec, slots, perCpu: true, lru: true);
