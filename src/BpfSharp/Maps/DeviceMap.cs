using BpfSharp.Abi;
using System.Collections.Concurrent;
using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_DEVMAP</c> and <c>BPF_MAP_TYPE_DEVMAP_HASH</c> (kernel/bpf/devmap.c): network devices by
/// slot or by key, the targets of an XDP program's <c>bpf_redirect_map</c>. A value is the device's ifindex, or
/// <c>struct bpf_devmap_val</c> (ifindex, then a program to run on the device, which BpfSharp does not run: a program
/// fd is refused as the kernel refuses an fd that is not a devmap program). BpfSharp has no network devices of its
/// own, so any ifindex but 0 names one. Programs read entries and never write them: the kernel sets
/// <c>BPF_F_RDONLY_PROG</c> on every device map.</summary>
internal sealed unsafe class DeviceMap : Map, IRedirectMap
{
    const uint CreateFlags = MapFlags.NumaNode | MapFlags.ReadOnly | MapFlags.WriteOnly;

    readonly UnmanagedBlock block;
    readonly MemoryRegion[] regions;
    readonly bool[] used;
    /// <summary>A devmap-hash's keys and the slots holding their values, read without the lock by programs'
    /// lookups and redirects (on every packet); the lock orders the host's changes.</summary>
    readonly ConcurrentDictionary<uint, int>? slotOfKey;
    readonly Lock gate = new();

    public DeviceMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        block = new UnmanagedBlock((ulong)MaxEntries * (ulong)ValueSize);
        used = new bool[MaxEntries];
        if (spec.Type == MapType.DevmapHash) slotOfKey = new();
        regions = [block.Region(RegionName, MemoryAccess.Read)];
    }

    /// <summary><c>dev_map_alloc_check</c>, and the read-only flag it adds.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, CreateFlags);
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.KeySize(spec, 4);
        MapChecks.Require(spec.ValueSize is 4 or 8, spec, $"value_size must be 4 (an ifindex) or 8 (struct bpf_devmap_val) for {spec.Type} maps, not {spec.ValueSize}");
        return spec with { Flags = spec.Flags | MapFlags.ReadOnlyProgram };
    }

    public override IReadOnlyList<MemoryRegion> Regions => regions;

    public ulong RedirectFlags => RedirectTarget.BroadcastFlag | RedirectTarget.ExcludeIngressFlag;

    Span<byte> Slot(int slot) => block.Span((ulong)slot * (ulong)ValueSize, ValueSize);

    /// <summary>The slot holding <paramref name="key"/>'s entry, or -1.</summary>
    int Find(uint key) => slotOfKey is null
        ? key < MaxEntries && Volatile.Read(ref used[key]) ? (int)key : -1
        : slotOfKey.TryGetValue(key, out var slot) ? slot : -1;

    public RedirectTarget? Target(uint key)
    {
        var slot = Find(key);
        return slot < 0 ? null : new RedirectTarget(BinaryPrimitives.ReadUInt32LittleEndian(Slot(slot)), 0) { Map = Name, Key = key };
    }

    public override ulong Lookup(ReadOnlySpan<byte> key, int slot)
    {
        var at = Find(Index(key));
        return at < 0 ? 0 : (ulong)block.Start + (ulong)at * (ulong)ValueSize;
    }

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        var at = Find(Index(key));
        if (at < 0) return -Errno.ENOENT;
        Slot(at).CopyTo(value);
        return 0;
    }

    /// <summary><c>dev_map_update_elem</c> and <c>dev_map_hash_update_elem</c>, with their checks in order.</summary>
    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        var index = Index(key);
        var ifindex = BinaryPrimitives.ReadUInt32LittleEndian(value);
        var program = ValueSize == 8 ? BinaryPrimitives.ReadInt32LittleEndian(value[4..]) : -1;
        lock (gate)
        {
            if (slotOfKey is null)
            {
                if (index >= MaxEntries) return -Errno.E2BIG;
                if (flags == (ulong)MapUpdateFlags.NoExist) return -Errno.EEXIST;
                // ifindex 0 empties the slot, and may not come with a program.
                if (ifindex == 0)
                {
                    if (program > 0) return -Errno.EINVAL;
                    Volatile.Write(ref used[index], false);
                    return 0;
                }
                if (program > 0) return -Errno.EINVAL;
                Store((int)index, ifindex);
                Volatile.Write(ref used[index], true);
                return 0;
            }
            var existing = Find(index);
            if (existing >= 0 && flags == (ulong)MapUpdateFlags.NoExist) return -Errno.EEXIST;
            if (ifindex == 0 || program > 0) return -Errno.EINVAL;
            if (existing >= 0)
            {
                Store(existing, ifindex);
                return 0;
            }
            if (slotOfKey.Count >= MaxEntries) return -Errno.E2BIG;
            // The value is in its slot before a lookup can find the key.
            var free = Array.IndexOf(used, false);
            used[free] = true;
            Store(free, ifindex);
            slotOfKey[index] = free;
            return 0;
        }
    }

    /// <summary>The entry as the kernel keeps it: the ifindex, and for 8-byte values the program's id (none).</summary>
    void Store(int slot, uint ifindex)
    {
        var value = Slot(slot);
        value.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(value, ifindex);
    }

    /// <summary>A devmap slot past the end is EINVAL and an empty one deletes fine; a devmap-hash key it lacks is
    /// ENOENT.</summary>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        var index = Index(key);
        lock (gate)
        {
            if (slotOfKey is null)
            {
                if (index >= MaxEntries) return -Errno.EINVAL;
                Volatile.Write(ref used[index], false);
                return 0;
            }
            if (!slotOfKey.TryRemove(index, out var slot)) return -Errno.ENOENT;
            used[slot] = false;
            return 0;
        }
    }

    /// <summary>A devmap walks its indexes as an array does; a devmap-hash its keys in increasing order, starting
    /// over from the first when the key given is not one of them (dev_map_hash_get_next_key).</summary>
    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next)
    {
        if (slotOfKey is null) return ArrayNextKey(key, next);
        var restart = key.IsEmpty || !slotOfKey.ContainsKey(Index(key));
        var after = restart ? 0 : Index(key);
        uint? following = null;
        foreach (var k in slotOfKey.Keys)
            if ((restart ? k >= after : k > after) && (following is null || k < following)) following = k;
        if (following is not { } found) return -Errno.ENOENT;
        BinaryPrimitives.WriteUInt32LittleEndian(next, found);
        return 0;
    }

    protected override void Free() => block.Free();
}
