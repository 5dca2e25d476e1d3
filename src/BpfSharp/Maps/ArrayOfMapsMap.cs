using System.Buffers.Binary;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c>: an array whose values are maps fitting a template. A program's
/// lookup returns the inner map itself (its handle, as the kernel returns the inner map pointer), ready for another
/// lookup; the host stores maps (by <see cref="BpfMap"/>, or by id where the kernel takes an fd) and reads ids.</summary>
internal sealed class ArrayOfMapsMap : Map
{
    readonly Map?[] inner;

    public ArrayOfMapsMap(MapSpec spec, int slots) : base(Checked(spec), slots) => inner = new Map?[MaxEntries];

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.FdArray(spec);
        InnerMaps.CheckTemplate(spec);
        return spec;
    }

    /// <summary><c>array_of_map_lookup_elem</c>: the inner map's handle, or 0.</summary>
    public override ulong Lookup(ReadOnlySpan<byte> key, int slot)
    {
        var index = Index(key);
        return index < MaxEntries && Volatile.Read(ref inner[index]) is { } map ? map.Handle : 0;
    }

    /// <summary>The map in a slot, or null.</summary>
    public Map? Get(uint index) => index < MaxEntries ? Volatile.Read(ref inner[index]) : null;

    /// <summary><c>bpf_fd_array_map_update_elem</c>: only BPF_ANY; E2BIG past the end; EINVAL if the map does not
    /// fit the template.</summary>
    public int Set(uint index, Map map, ulong flags)
    {
        if (flags != (ulong)MapUpdateFlags.Any) return -Errno.EINVAL;
        if (index >= MaxEntries) return -Errno.E2BIG;
        var acquired = InnerMaps.Acquire(Spec, map);
        if (acquired != 0) return acquired;
        Interlocked.Exchange(ref inner[index], map)?.Release();
        return 0;
    }

    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags != (ulong)MapUpdateFlags.Any) return -Errno.EINVAL;
        if (Index(key) >= MaxEntries) return -Errno.E2BIG;
        return InnerMaps.ById(value) is { } map ? Set(Index(key), map, flags) : -Errno.EBADF;
    }

    /// <summary>E2BIG past the end, ENOENT for an empty slot.</summary>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        var old = Interlocked.Exchange(ref inner[index], null);
        if (old is null) return -Errno.ENOENT;
        old.Release();
        return 0;
    }

    /// <summary>The inner map's id (u32), as the kernel answers user space.</summary>
    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        if (Get(Index(key)) is not { } map) return -Errno.ENOENT;
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)map.Id);
        return 0;
    }

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    protected override void Free()
    {
        for (var i = 0; i < inner.Length; i++)
            Interlocked.Exchange(ref inner[i], null)?.Release();
    }
}
