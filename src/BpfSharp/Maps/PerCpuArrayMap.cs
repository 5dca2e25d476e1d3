using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_PERCPU_ARRAY</c>: an array with one value per execution slot. A program sees its own
/// slot's copy; the host reads and writes all of them, each rounded up to 8 bytes. Slot-major layout (all of slot
/// 0's values, then slot 1's...) keeps each slot's values on its own cache lines, as the kernel's per-CPU areas.</summary>
internal sealed unsafe class PerCpuArrayMap : Map
{
    readonly UnmanagedBlock block;
    readonly int stride;
    readonly MemoryRegion[] regions;

    public PerCpuArrayMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        stride = Round8(ValueSize);
        block = new UnmanagedBlock((ulong)slots * MaxEntries * (ulong)stride);
        regions = [block.Region(RegionName, ProgramAccess)];
    }

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Array(spec);
        return spec;
    }

    public override IReadOnlyList<MemoryRegion> Regions => regions;

    public override bool IsPerCpu => true;

    public override int HostValueSize => Slots * stride;

    byte* Value(uint index, int slot) => block.Start + ((ulong)slot * MaxEntries + index) * (ulong)stride;

    public override ulong Lookup(ReadOnlySpan<byte> key, int slot)
    {
        var index = Index(key);
        return index < MaxEntries ? (ulong)Value(index, slot) : 0;
    }

    /// <summary>As <c>array_map_update_elem</c>; a program writes only its slot's copy, the host every slot's.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.E2BIG;
        if (flags == (ulong)MapUpdateFlags.NoExist) return -Errno.EEXIST;
        if (slot != AllSlots)
            value[..ValueSize].CopyTo(new Span<byte>(Value(index, slot), ValueSize));
        else
            for (var s = 0; s < Slots; s++)
                value.Slice(s * stride, ValueSize).CopyTo(new Span<byte>(Value(index, s), ValueSize));
        return 0;
    }

    /// <summary><c>bpf_percpu_array_copy</c>: every slot's value, each in 8-byte-rounded room.</summary>
    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        var index = Index(key);
        if (index >= MaxEntries) return -Errno.ENOENT;
        for (var s = 0; s < Slots; s++)
            new ReadOnlySpan<byte>(Value(index, s), stride).CopyTo(value[(s * stride)..]);
        return 0;
    }

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    internal override int ForEachElement(int slot, MapElementVisitor visit)
    {
        Span<byte> key = stackalloc byte[4];
        for (uint i = 0; i < MaxEntries; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, i);
            if (!visit(key, (ulong)Value(i, slot))) return (int)i + 1;
        }
        return (int)MaxEntries;
    }

    protected override void Free() => block.Free();
}
