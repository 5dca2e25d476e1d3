namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_HASH</c> (kernel/bpf/hashtab.c): a hash table of max_entries preallocated elements. Full:
/// E2BIG.</summary>
internal sealed class HashMap(MapSpec spec, int slots) : HashMapBase(spec, slots, perCpu: false, lru: false);
