using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary>What the four hash kinds share: a preallocated <see cref="HashTable"/> and the kernel's answers. The kinds
/// differ only in per-CPU values and LRU eviction.</summary>
internal abstract class HashMapBase : Map
{
    readonly HashTable table;
    readonly MemoryRegion[] regions;
    readonly bool perCpu, lru;

    protected HashMapBase(MapSpec spec, int slots, bool perCpu, bool lru) : base(Checked(spec), slots)
    {
        this.perCpu = perCpu;
        this.lru = lru;
        // Spares let a replacement be built beside the old element; per-CPU and LRU replacements do not need them.
        var spares = perCpu || lru ? 0 : Math.Clamp(slots, 1, 64) + 1;
        table = new HashTable(KeySize, ValueSize, MaxEntries, perCpu ? slots : 1, perCpu, lru, spares);
        regions = [table.ValueRegion(RegionName, ProgramAccess)];
    }

    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Hash(spec);
        return spec;
    }

    public override bool IsPerCpu => perCpu;

    public override int HostValueSize => perCpu ? Slots * Round8(ValueSize) : ValueSize;

    public override IReadOnlyList<MemoryRegion> Regions => regions;

    /// <summary>Elements in use.</summary>
    public int Count => table.Count;

    public override unsafe ulong Lookup(ReadOnlySpan<byte> key, int slot)
    {
        var e = table.Find(key, markUsed: lru);
        return e < 0 ? 0 : (ulong)table.ValueOf(e, perCpu ? slot : 0);
    }

    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot) =>
        table.Update(key, value, flags, slot);

    public override int Delete(ReadOnlySpan<byte> key) => table.Delete(key);

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => table.CopyOut(key, value, delete: false);

    public override int LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value) => table.CopyOut(key, value, delete: true);

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => table.GetNextKey(key, next);

    internal override int ForEachElement(int slot, MapElementVisitor visit) => table.ForEach(perCpu ? slot : 0, visit);

    public override void HoldTimers(int offset)
    {
        base.HoldTimers(offset);
        table.TimerOffset = offset;
    }

    internal override bool TryGetKeyOf(ulong value, Span<byte> key) => !perCpu && table.TryGetKeyOf(value, key);

    protected override void Free() => table.Free();
}
