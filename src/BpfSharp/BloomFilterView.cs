using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_BLOOM_FILTER</c> of <typeparamref name="T"/>: a set that may answer "maybe" for a
/// value never added, but never "no" for one that was.</summary>
public sealed class BloomFilterView<T> where T : unmanaged
{
    readonly BpfMap map;

    internal BloomFilterView(BpfMap map, Map _) => this.map = map;

    /// <summary>Adds a value (<c>bloom_map_push_elem</c>).</summary>
    public void Add(T value) => map.Update([], Raw.Bytes(in value));

    /// <summary>False when the value was surely never added; true when it may have been (<c>bloom_map_peek_elem</c>).</summary>
    public bool MayContain(T value)
    {
        var tested = Raw.Bytes(in value).ToArray();
        return map.TryLookup([], tested);
    }
}
