namespace BpfSharp.Generators;

/// <summary>The typed view of each map type, as <c>BpfMap</c>'s <c>As…</c> methods give them; which types need a
/// key type and a value type from BTF.</summary>
internal static class MapViews
{
    /// <summary>(view type, method, uses key type, uses value type); null for map types without a view (device and
    /// socket maps, storage...), which stay <c>BpfMap</c>.</summary>
    public static (string View, string Method, bool Key, bool Value)? Of(string mapType) => mapType switch
    {
        "Array" => ("ArrayView", "AsArray", false, true),
        "PercpuArray" => ("PerCpuArrayView", "AsPerCpuArray", false, true),
        "Hash" or "LruHash" => ("HashView", "AsHash", true, true),
        "PercpuHash" or "LruPercpuHash" => ("PerCpuHashView", "AsPerCpuHash", true, true),
        "Queue" => ("QueueView", "AsQueue", false, true),
        "Stack" => ("QueueView", "AsStack", false, true),
        "LpmTrie" => ("LpmTrieView", "AsLpmTrie", false, true),
        "BloomFilter" => ("BloomFilterView", "AsBloomFilter", false, true),
        "ProgArray" => ("ProgramArrayView", "AsProgramArray", false, false),
        "Ringbuf" => ("RingBufferReader", "AsRingBuffer", false, false),
        "PerfEventArray" => ("PerfEventArrayView", "AsPerfEventArray", false, false),
        "ArrayOfMaps" or "HashOfMaps" => ("MapOfMapsView", "AsMapOfMaps", false, false),
        _ => null,
    };
}
