using BpfSharp.Maps;
using System.Runtime.InteropServices;

namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_ARRAY</c> as <typeparamref name="TValue"/>[max_entries]: every index always has a
/// value (zero until written).</summary>
public sealed class ArrayView<TValue> where TValue : unmanaged
{
    readonly BpfMap map;

    internal ArrayView(BpfMap map, Map _) => this.map = map;

    /// <summary>The number of elements (<c>max_entries</c>).</summary>
    public int Length => (int)map.MaxEntries;

    /// <summary>The value at <paramref name="index"/>; setting it is an update with BPF_ANY.</summary>
    /// <exception cref="MapException">ENOENT on get, E2BIG on set, past the end.</exception>
    public TValue this[int index]
    {
        get
        {
            TValue value = default;
            var key = (uint)index;   // the kernel's u32 index: a negative one is past the end
            if (!map.TryLookup(Raw.Bytes(in key), MemoryMarshal.AsBytes(new Span<TValue>(ref value))))
                throw new MapException(map.Name, "lookup", Errno.ENOENT, $"index {index} is past max_entries ({Length})");
            return value;
        }
        set => Update(index, value);
    }

    /// <summary>Writes a value (<c>array_map_update_elem</c>): BPF_NOEXIST gives EEXIST, since every element exists.</summary>
    public void Update(int index, TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        var key = (uint)index;
        map.Update(Raw.Bytes(in key), Raw.Bytes(in value), flags);
    }
}
