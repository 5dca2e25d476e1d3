using BpfSharp.Maps;
using System.Buffers.Binary;

namespace BpfSharp;

/// <summary>A <c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c> or <c>BPF_MAP_TYPE_HASH_OF_MAPS</c>: values are maps that fit the
/// inner template (same type, key and value sizes, flags, and max_entries unless the template has
/// BPF_F_INNER_MAP). A stored map stays alive while the outer map holds it, even if its own
/// <see cref="BpfMap"/> is disposed.</summary>
public sealed class MapOfMapsView
{
    readonly BpfMap map;
    readonly Map outer;

    internal MapOfMapsView(BpfMap map, Map outer)
    {
        this.map = map;
        this.outer = outer;
    }

    /// <summary>Stores <paramref name="inner"/> under <paramref name="key"/>.</summary>
    /// <exception cref="MapException">EINVAL if it does not fit the template (or, for an array, flags other than
    /// Any); E2BIG past the end or when full; EEXIST / ENOENT for NoExist / Exist on a hash.</exception>
    public void Update(ReadOnlySpan<byte> key, BpfMap inner, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        if (key.Length != map.KeySize)
            throw new ArgumentException($"map '{map.Name}': a key is {map.KeySize} bytes, not {key.Length}", nameof(key));
        map.ThrowIfDisposed();
        var result = outer switch
        {
            ArrayOfMapsMap array => array.Set(BinaryPrimitives.ReadUInt32LittleEndian(key), inner.Map, (ulong)flags),
            HashOfMapsMap hash => hash.Set(key, inner.Map, (ulong)flags),
            _ => -Errno.EINVAL,
        };
        map.Check(result, "update");
    }

    /// <summary>Stores <paramref name="inner"/> at an index (or under a u32 key).</summary>
    public void Update(uint index, BpfMap inner, MapUpdateFlags flags = MapUpdateFlags.Any) => Update(Raw.Bytes(in index), inner, flags);

    /// <summary>The map stored under <paramref name="key"/>, as a new reference the caller disposes (as the
    /// kernel's <c>BPF_MAP_GET_FD_BY_ID</c> on the id a lookup returns), or null.</summary>
    public BpfMap? Lookup(ReadOnlySpan<byte> key)
    {
        Span<byte> id = stackalloc byte[4];
        if (!map.TryLookup(key, id)) return null;
        var inner = MapRegistry.FindById(BinaryPrimitives.ReadUInt32LittleEndian(id));
        return inner is not null && inner.TryAddReference() ? new BpfMap(inner) : null;
    }

    /// <summary>The map at an index (or under a u32 key), or null.</summary>
    public BpfMap? Lookup(uint index) => Lookup(Raw.Bytes(in index));

    /// <summary>Removes the map under <paramref name="key"/> (dropping the outer map's reference); false when empty.</summary>
    public bool Delete(ReadOnlySpan<byte> key) => map.Delete(key);

    /// <summary>Removes the map at an index (or under a u32 key); false when empty.</summary>
    public bool Delete(uint index) => Delete(Raw.Bytes(in index));
}
