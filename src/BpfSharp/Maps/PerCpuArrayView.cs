namespace BpfSharp.Maps;

/// <summary>A <c>BPF_MAP_TYPE_PERCPU_ARRAY</c>: each index holds one <typeparamref name="TValue"/> per execution slot.</summary>
public sealed class PerCpuArrayView<TValue> where TValue : unmanaged
{
    readonly BpfMap map;

    internal PerCpuArrayView(BpfMap map, Map _) => this.map = map;

    /// <summary>The number of elements (<c>max_entries</c>).</summary>
    public uint Length => map.MaxEntries;

    /// <summary>Every slot's value at <paramref name="index"/> (index = slot).</summary>
    /// <exception cref="MapException">ENOENT past the end.</exception>
    public TValue[] this[uint index]
    {
        get
        {
            var buffer = new byte[map.HostValueSize];
            if (!map.TryLookup(Raw.Bytes(in index), buffer))
                throw new MapException(map.Name, "lookup", Errno.ENOENT, $"index {index} is past max_entries ({Length})");
            return PerSlotValues<TValue>.Decode(map.Slots, buffer);
        }
    }

    /// <summary>Writes every slot's value: <paramref name="perSlot"/> has one per slot.</summary>
    public void Update(uint index, ReadOnlySpan<TValue> perSlot, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Raw.Bytes(in index), PerSlotValues<TValue>.Encode(map.Slots, perSlot), flags);

    /// <summary>Writes the same value for every slot.</summary>
    public void UpdateAllSlots(uint index, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Raw.Bytes(in index), PerSlotValues<TValue>.EncodeAll(map.Slots, value), flags);
}
