using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_PERCPU_ARRAY</c>: each index holds one <typeparamref name="TValue"/> per execution slot.</summary>
public sealed class PerCpuArrayView<TValue> where TValue : unmanaged
{
    readonly BpfMap map;

    internal PerCpuArrayView(BpfMap map, Map _) => this.map = map;

    /// <summary>The number of elements (<c>max_entries</c>).</summary>
    public int Length => (int)map.MaxEntries;

    /// <summary>Every slot's value at <paramref name="index"/> (index = slot).</summary>
    /// <exception cref="MapException">ENOENT past the end.</exception>
    public TValue[] this[int index]
    {
        get
        {
            var buffer = new byte[map.HostValueSize];
            var key = (uint)index;   // the kernel's u32 index: a negative one is past the end
            if (!map.TryLookup(Raw.Bytes(in key), buffer))
                throw new MapException(map.Name, "lookup", Errno.ENOENT, $"index {index} is past max_entries ({Length})");
            return PerSlotValues<TValue>.Decode(map.Slots, buffer);
        }
    }

    /// <summary>Writes every slot's value: <paramref name="perSlot"/> has one per slot.</summary>
    public void Update(int index, ReadOnlySpan<TValue> perSlot, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        var key = (uint)index;
        map.Update(Raw.Bytes(in key), PerSlotValues<TValue>.Encode(map.Slots, perSlot), flags);
    }

    /// <summary>Writes the same value for every slot.</summary>
    public void UpdateAllSlots(int index, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        var key = (uint)index;
        map.Update(Raw.Bytes(in key), PerSlotValues<TValue>.EncodeAll(map.Slots, value), flags);
    }
}
