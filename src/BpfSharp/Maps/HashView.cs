using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>A <c>BPF_MAP_TYPE_HASH</c> (or LRU hash) from <typeparamref name="TKey"/> to <typeparamref name="TValue"/>.</summary>
public sealed class HashView<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    readonly BpfMap map;

    internal HashView(BpfMap map, Map _) => this.map = map;

    /// <summary>The value, or null when the key is absent.</summary>
    public TValue? Lookup(TKey key) => TryLookup(key, out var value) ? value : null;

    /// <summary>Whether the key is present, and its value.</summary>
    public bool TryLookup(TKey key, out TValue value)
    {
        value = default;
        return map.TryLookup(Raw.Bytes(in key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>Creates or replaces (<c>htab_map_update_elem</c>).</summary>
    /// <exception cref="MapException">EEXIST (NoExist, present), ENOENT (Exist, absent), E2BIG (full).</exception>
    public void Update(TKey key, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Raw.Bytes(in key), Raw.Bytes(in value), flags);

    /// <summary>Deletes; false when the key was absent.</summary>
    public bool Delete(TKey key) => map.Delete(Raw.Bytes(in key));

    /// <summary>Reads and deletes in one step; false when the key was absent.</summary>
    public bool TryLookupAndDelete(TKey key, out TValue value)
    {
        value = default;
        return map.TryLookupAndDelete(Raw.Bytes(in key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>Every key, in bucket order.</summary>
    public IEnumerable<TKey> Keys => map.Keys.Select(k => Raw.Read<TKey>(k));
}
