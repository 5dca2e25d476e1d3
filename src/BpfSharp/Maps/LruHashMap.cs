namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_LRU_HASH</c> (kernel/bpf/hashtab.c): a hash that, when full, evicts an element not used
/// recently to make room (program lookups mark elements used).</summary>
internal sealed class LruHashMap(MapSpec spec, int slots) : HashMapBase(spec, slots, perCpu: false, lru: true);
