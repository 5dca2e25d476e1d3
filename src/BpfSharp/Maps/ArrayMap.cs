using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_ARRAY</c> (kernel/bpf/arraymap.c): <c>max_entries</c> zero-initialised values, each
/// rounded up to 8 bytes, indexed by a u32 key. Every element always exists: no delete, no NOEXIST.</summary>
internal sealed unsafe class ArrayMap : Map
{
    readonly UnmanagedBlock block;
    readonly int stride;
    readonly MemoryRegion[] regions;

    public ArrayMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        stride = Round8(ValueSize);
        block = new UnmanagedBlock((ulong)MaxEntries * (ulong)stride);
        regions = [block.Region(RegionName, ProgramAccess)];
    }

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Array(spec);
        return spec;
    }

    public override IReadOnlyList<MemoryRegion> Regions => regions;

    byte* Value(uint index) => block.Start + (ulong)index * (ulong)stride;

    /// <summary><c>array_map_lookup_elem</c>: NULL past the end.</summary>
    public override ulong Lookup(ReadOnlySpan<byte> key, int slot)
    {
        var index = Index(key);
        return index < MaxEntries ? (ulong)Value(index) : 0;
    }

    /// <summary><c>array_map_update_elem</c>: EINVAL for unknown flags, E2BIG past the end, EEXIST for NOEXIST
    /// (every element exists).</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        if (flags == (ulong)MapUpdateFlags.NoExist) return -Errno.EEXIST;
        var target = new Span<byte>(Value(index), ValueSize);
        value[..ValueSize].CopyTo(target);
        // array_map_update_elem: the timer field keeps nothing of the new value, and the old timer goes.
        ClearFields(target);
        FreeFields((ulong)Value(index));
        return 0;
    }

    // array_map_delete_elem: EINVAL (the base's answer), since elements cannot be removed.

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.ENOENT;
        new ReadOnlySpan<byte>(Value(index), ValueSize).CopyTo(value);
        ClearFields(value);
        return 0;
    }

    internal override bool TryGetKeyOf(ulong value, Span<byte> key)
    {
        var offset = value - (ulong)block.Start;
        if (value < (ulong)block.Start || offset % (ulong)stride != 0 || offset / (ulong)stride >= MaxEntries) return false;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)(offset / (ulong)stride));
        return true;
    }

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    internal override int ForEachElement(int slot, MapElementVisitor visit)
    {
        Span<byte> key = stackalloc byte[4];
        for (uint i = 0; i < MaxEntries; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, i);
            if (!visit(key, (ulong)Value(i))) return (int)i + 1;
        }
        return (int)MaxEntries;
    }

    protected override void Free()
    {
        if (TimerOffset is not null)
            for (uint i = 0; i < MaxEntries; i++) FreeFields((ulong)Value(i));
        block.Free();
    }
}
