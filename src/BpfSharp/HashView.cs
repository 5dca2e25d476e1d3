using BpfSharp.Maps;
using System.Runtime.InteropServices;

namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_HASH</c> (or LRU hash) from <typeparamref name="TKey"/> to <typeparamref name="TValue"/>.</summary>
public sealed class HashView<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    readonly BpfMap map;

    internal HashView(BpfMap map, Map _) => this.map = map;

    /// <summary>The value, or null when the key is absent.</summary>
    public TValue? Lookup(TKey key) => TryGetValue(key, out var value) ? value : null;

    /// <summary>Whether the key is present, and its value.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        value = default;
        return map.TryLookup(Raw.Bytes(in key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>The value of a key; setting it is an update with BPF_ANY.</summary>
    /// <exception cref="KeyNotFoundException">On get, when the key is absent.</exception>
    /// <exception cref="MapException">On set: E2BIG when the map is full.</exception>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"map '{map.Name}' has no key {key}");
        set => Update(key, value);
    }

    /// <summary>A snapshot of every entry, taken in one walk of the table in bucket order: each value is read where the
    /// walk finds its key, so an entry programs delete or add meanwhile is in it whole or not at all (reading
    /// <see cref="Keys"/> and then each value could miss a value deleted in between).</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> Entries
    {
        get
        {
            map.ThrowIfDisposed();
            var entries = new List<KeyValuePair<TKey, TValue>>();
            unsafe
            {
                map.Map.ForEachElement(0, (key, value) =>
                {
                    entries.Add(new(MemoryMarshal.Read<TKey>(key), *(TValue*)value));
                    return true;
                });
            }
            return entries;
        }
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
