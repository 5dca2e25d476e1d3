using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>A <c>BPF_MAP_TYPE_ARRAY</c> as <typeparamref name="TValue"/>[max_entries]: every index always has a
/// value (zero until written).</summary>
public sealed class ArrayView<TValue> where TValue : unmanaged
{
    readonly BpfMap map;

    internal ArrayView(BpfMap map, Map _) => this.map = map;

    /// <summary>The number of elements (<c>max_entries</c>).</summary>
    public uint Length => map.MaxEntries;

    /// <summary>The value at <paramref name="index"/>; setting it is an update with BPF_ANY.</summary>
    /// <exception cref="MapException">ENOENT on get, E2BIG on set, past the end.</exception>
    public TValue this[uint index]
    {
        get
        {
            TValue value = default;
            if (!map.TryLookup(Raw.Bytes(in index), MemoryMarshal.AsBytes(new Span<TValue>(ref value))))
                throw new MapException(map.Name, "lookup", Errno.ENOENT, $"index {index} is past max_entries ({Length})");
            return value;
        }
        set => Update(index, value);
    }

    /// <summary>Writes a value (<c>array_map_update_elem</c>): BPF_NOEXIST gives EEXIST, since every element exists.</summary>
    public void Update(uint index, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        map.Update(Raw.Bytes(in index), Raw.Bytes(in value), flags);
}
