using System.Buffers.Binary;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_HASH_OF_MAPS</c>: a hash whose values are maps fitting a template. The table stores each
/// inner map's handle; a program's lookup returns it. Host writes are serialised so that the reference an entry
/// holds is released exactly once when it is replaced or deleted.</summary>
internal sealed unsafe class HashOfMapsMap : Map
{
    readonly HashTable table;
    readonly object writers = new();

    public HashOfMapsMap(MapSpec spec, int slots) : base(Checked(spec), slots) =>
        table = new HashTable(KeySize, sizeof(ulong), MaxEntries, 1, perCpu: false, lru: false, spares: 1);

    /// <summary><c>fd_htab_map_alloc_check</c>: a u32 value (the fd), the hash checks, and the template.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.ValueSize(spec, 4);
        MapChecks.Hash(spec);
        InnerMaps.CheckTemplate(spec);
        return spec;
    }

    ulong Stored(ReadOnlySpan<byte> key)
    {
        var e = table.Find(key, markUsed: false);
        return e < 0 ? 0 : Volatile.Read(ref *(ulong*)table.ValueOf(e, 0));
    }

    /// <summary><c>htab_of_map_lookup_elem</c>: the inner map's handle, or 0.</summary>
    public override ulong Lookup(ReadOnlySpan<byte> key, int slot) => Stored(key);

    /// <summary>Stores a map under a key with the hash's flag rules (EEXIST, ENOENT, E2BIG when full).</summary>
    public int Set(ReadOnlySpan<byte> key, Map map, ulong flags)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        var acquired = InnerMaps.Acquire(Spec, map);
        if (acquired != 0) return acquired;
        lock (writers)
        {
            var old = Stored(key);
            var handle = map.Handle;
            var result = table.Update(key, new ReadOnlySpan<byte>(&handle, sizeof(ulong)), flags, AllSlots);
            if (result != 0)
            {
                map.Release();
                return result;
            }
            if (old != 0) MapRegistry.Find(old)?.Release();
            return 0;
        }
    }

    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) =>
        InnerMaps.ById(value) is { } map ? Set(key, map, flags) : -Errno.EBADF;

    public override int Delete(ReadOnlySpan<byte> key)
    {
        lock (writers)
        {
            var old = Stored(key);
            var result = table.Delete(key);
            if (result == 0 && old != 0) MapRegistry.Find(old)?.Release();
            return result;
        }
    }

    /// <summary>The inner map's id (u32), as the kernel answers user space.</summary>
    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        var handle = Stored(key);
        if (handle == 0) return -Errno.ENOENT;
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)handle);
        return 0;
    }

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => table.GetNextKey(key, next);

    protected override void Free()
    {
        lock (writers)
        {
            Span<byte> key = new byte[KeySize], next = new byte[KeySize];
            var first = true;
            while (table.GetNextKey(first ? default : key, next) == 0)
            {
                MapRegistry.Find(Stored(next))?.Release();
                next.CopyTo(key);
                first = false;
            }
            table.Free();
        }
    }
}
