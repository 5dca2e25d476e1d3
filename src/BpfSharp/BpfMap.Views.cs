using BpfSharp.Maps;
namespace BpfSharp;

public sealed partial class BpfMap
{
    /// <summary>A <c>BPF_MAP_TYPE_ARRAY</c> of <typeparamref name="TValue"/>.</summary>
    /// <exception cref="InvalidOperationException">Another map type, or a value size that is not TValue's.</exception>
    public ArrayView<TValue> AsArray<TValue>() where TValue : unmanaged =>
        new(this, Expect<TValue>("AsArray", MapType.Array));

    /// <summary>A <c>BPF_MAP_TYPE_PERCPU_ARRAY</c>: a value per slot.</summary>
    public PerCpuArrayView<TValue> AsPerCpuArray<TValue>() where TValue : unmanaged =>
        new(this, Expect<TValue>("AsPerCpuArray", MapType.PercpuArray));

    /// <summary>A <c>BPF_MAP_TYPE_HASH</c> or <c>BPF_MAP_TYPE_LRU_HASH</c>.</summary>
    public HashView<TKey, TValue> AsHash<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged =>
        new(this, ExpectKey<TKey>(Expect<TValue>("AsHash", MapType.Hash, MapType.LruHash)));

    /// <summary>A <c>BPF_MAP_TYPE_PERCPU_HASH</c> or <c>BPF_MAP_TYPE_LRU_PERCPU_HASH</c>: a value per slot.</summary>
    public PerCpuHashView<TKey, TValue> AsPerCpuHash<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged =>
        new(this, ExpectKey<TKey>(Expect<TValue>("AsPerCpuHash", MapType.PercpuHash, MapType.LruPercpuHash)));

    /// <summary>A <c>BPF_MAP_TYPE_PROG_ARRAY</c>: the programs <c>bpf_tail_call</c> jumps to.</summary>
    public ProgramArrayView AsProgramArray() => new(this, (ProgArrayMap)Expect("AsProgramArray", MapType.ProgArray));

    /// <summary>A <c>BPF_MAP_TYPE_QUEUE</c> of <typeparamref name="T"/>.</summary>
    public QueueView<T> AsQueue<T>() where T : unmanaged => new(this, Expect<T>("AsQueue", MapType.Queue));

    /// <summary>A <c>BPF_MAP_TYPE_STACK</c> of <typeparamref name="T"/>.</summary>
    public QueueView<T> AsStack<T>() where T : unmanaged => new(this, Expect<T>("AsStack", MapType.Stack));

    /// <summary>The consumer of a <c>BPF_MAP_TYPE_RINGBUF</c>.</summary>
    public RingBufferReader AsRingBuffer() => new(this, (RingBufMap)Expect("AsRingBuffer", MapType.Ringbuf));

    /// <summary>A <c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>, to open a reader on.</summary>
    public PerfEventArrayView AsPerfEventArray() => new(this, (PerfEventArrayMap)Expect("AsPerfEventArray", MapType.PerfEventArray));

    /// <summary>A <c>BPF_MAP_TYPE_LPM_TRIE</c> with <typeparamref name="TValue"/> values.</summary>
    public LpmTrieView<TValue> AsLpmTrie<TValue>() where TValue : unmanaged => new(this, Expect<TValue>("AsLpmTrie", MapType.LpmTrie));

    /// <summary>A <c>BPF_MAP_TYPE_BLOOM_FILTER</c> of <typeparamref name="T"/>.</summary>
    public BloomFilterView<T> AsBloomFilter<T>() where T : unmanaged => new(this, Expect<T>("AsBloomFilter", MapType.BloomFilter));

    /// <summary>A <c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c> or <c>BPF_MAP_TYPE_HASH_OF_MAPS</c>.</summary>
    public MapOfMapsView AsMapOfMaps() => new(this, Expect("AsMapOfMaps", MapType.ArrayOfMaps, MapType.HashOfMaps));

    Map Expect(string view, params MapType[] types)
    {
        var m = Map;
        if (Array.IndexOf(types, m.Type) < 0)
            throw new InvalidOperationException(
                $"map '{Name}' is a {m.Type} map; {view}() is for {string.Join(" and ", types)} maps");
        return m;
    }

    Map Expect<TValue>(string view, params MapType[] types) where TValue : unmanaged
    {
        var m = Expect(view, types);
        if (Raw.Size<TValue>() != m.ValueSize)
            throw new InvalidOperationException(
                $"map '{Name}' has {m.ValueSize}-byte values; {typeof(TValue).Name} is {Raw.Size<TValue>()} bytes");
        return m;
    }

    Map ExpectKey<TKey>(Map m) where TKey : unmanaged
    {
        if (Raw.Size<TKey>() != m.KeySize)
            throw new InvalidOperationException(
                $"map '{Name}' has {m.KeySize}-byte keys; {typeof(TKey).Name} is {Raw.Size<TKey>()} bytes");
        return m;
    }
}
