using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_PERCPU_HASH</c> (or LRU per-CPU hash): each key holds one <typeparamref name="TValue"/>
/// per execution slot.</summary>
public sealed class PerCpuHashView<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    readonly BpfMap map;

    internal PerCpuHashView(BpfMap map, Map _) => this.map = map;

    /// <summary>Every slot's value (index = slot), or null when the key is absent.</summary>
    public TValue[]? Lookup(TKey key)
    {
        var buffer = new byte[map.HostValueSize];
        return map.TryLookup(Raw.Bytes(in key), buffer) ? PerSlotValues<TValue>.Decode(map.Slots, buffer) : null;
    }

    /// <summary>Creates or replaces every slot's value: <paramref name="perSlot"/> has one per slot.</summary>
    public void Update(TKey key, ReadOnlySpan<TValue> perSlot, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Raw.Bytes(in key), PerSlotValues<TValue>.Encode(map.Slots, perSlot), flags);

    /// <summary>Creates or replaces with the same value for every slot.</summary>
    public void UpdateAllSlots(TKey key, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Raw.Bytes(in key), PerSlotValues<TValue>.EncodeAll(map.Slots, value), flags);

    /// <summary>Deletes; false when the key was absent.</summary>
    public bool Delete(TKey key) => map.Delete(Raw.Bytes(in key));

    /// <summary>Every key, in bucket order.</summary>
    public IEnumerable<TKey> Keys => map.Keys.Select(k => Raw.Read<TKey>(k));
}
