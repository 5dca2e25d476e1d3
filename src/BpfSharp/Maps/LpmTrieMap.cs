using BpfSharp.Abi;
using System.Buffers.Binary;
using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_LPM_TRIE</c> (kernel/bpf/lpm_trie.c): keys are a u32 prefix length followed by the
/// prefix's bytes (network order: bit 0 is the top bit of byte 0); a lookup finds the longest stored prefix of the
/// key. Values live in one preallocated block of max_entries slots; nodes, small and managed, come and go. A lock
/// guards the trie (the kernel's readers use RCU instead).</summary>
internal sealed unsafe class LpmTrieMap : Map
{
    /// <summary>LPM_DATA_SIZE_MAX and the largest value the kernel accepts (KMALLOC_MAX_SIZE minus the data and a
    /// node header; measured: 4 MiB - 288 loads, 4 MiB - 256 does not).</summary>
    const int MaxData = 256, MaxValue = (int)MapChecks.KmallocMaxSize - MaxData - 32;

    readonly LpmTrie trie;
    readonly UnmanagedBlock values;
    readonly int stride, dataSize;
    readonly Stack<int> freeValues = new();
    readonly MemoryRegion[] regions;
    readonly object gate = new();
    int entries;

    public LpmTrieMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        dataSize = KeySize - 4;
        trie = new LpmTrie(dataSize);
        stride = Round8(ValueSize);
        values = new UnmanagedBlock((ulong)MaxEntries * (ulong)stride);
        for (var i = (int)MaxEntries - 1; i >= 0; i--) freeValues.Push(i);
        regions = [values.Region(RegionName, ProgramAccess)];
    }

    /// <summary><c>trie_alloc</c>'s checks: BPF_F_NO_PREALLOC is required; 1 to 256 data bytes.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.Require((spec.Flags & MapFlags.NoPrealloc) != 0, spec, "LPM tries need BPF_F_NO_PREALLOC");
        MapChecks.Flags(spec, MapFlags.NumaNode | MapFlags.NoPrealloc | MapFlags.AccessMask);
        MapChecks.Require(spec.KeySize is >= 4 + 1 and <= 4 + MaxData, spec, $"key_size must be 5 to 260 (u32 prefix length and 1-256 data bytes), not {spec.KeySize}");
        MapChecks.Require(spec.ValueSize is >= 1 and <= MaxValue, spec, $"value_size must be 1 to {MaxValue}, not {spec.ValueSize}");
        MapChecks.Require(spec.MaxEntries <= int.MaxValue, spec, "max_entries is too large", Errno.E2BIG);
        return spec;
    }

    public override IReadOnlyList<MemoryRegion> Regions => regions;

    byte* Value(int slot) => values.Start + (ulong)slot * (ulong)stride;

    static int PrefixLength(ReadOnlySpan<byte> key) => (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(key), int.MaxValue);

    ReadOnlySpan<byte> Data(ReadOnlySpan<byte> key) => key.Slice(4, dataSize);

    public override ulong Lookup(ReadOnlySpan<byte> key, int slot)
    {
        lock (gate)
            return trie.LongestMatch(PrefixLength(key), Data(key)) is { } node ? (ulong)Value(node.Value) : 0;
    }

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        lock (gate)
        {
            if (trie.LongestMatch(PrefixLength(key), Data(key)) is not { } node) return -Errno.ENOENT;
            new ReadOnlySpan<byte>(Value(node.Value), ValueSize).CopyTo(value);
            return 0;
        }
    }

    /// <summary><c>trie_update_elem</c>: EINVAL for unknown flags or a prefix longer than the data; ENOSPC when a
    /// new prefix would exceed max_entries; EEXIST / ENOENT for NOEXIST / EXIST. The stored data is the key's as
    /// given, bits past the prefix included (the kernel keeps them too).</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        var length = PrefixLength(key);
        if (length > trie.MaxPrefixLength) return -Errno.EINVAL;
        var data = Data(key);
        lock (gate)
        {
            ref var where = ref trie.Walk(length, data, out var match);
            var node = where;
            if (node is not null && node.PrefixLength == match && !node.Intermediate)
            {
                if (flags == (ulong)MapUpdateFlags.NoExist) return -Errno.EEXIST;
                data.CopyTo(node.Data);
                Store(node.Value, value);
                return 0;
            }
            var added = AddEntry(flags);
            if (added < 0) return added;
            if (node is not null && node.PrefixLength == match)
            {
                data.CopyTo(node.Data); // an intermediate node becomes a real one
                node.Value = added;
                Store(added, value);
                return 0;
            }
            var fresh = new LpmNode(length, data.ToArray()) { Value = added };
            Store(added, value);
            if (node is null) where = fresh;
            else if (match == length)
            {
                fresh.Child[LpmTrie.Bit(node.Data, match)] = node; // the new prefix is an ancestor of node
                where = fresh;
            }
            else
            {
                var split = new LpmNode(match, (byte[])node.Data.Clone());
                var right = LpmTrie.Bit(data, match) == 1;
                split.Child[0] = right ? node : fresh;
                split.Child[1] = right ? fresh : node;
                where = split;
            }
            return 0;
        }
    }

    /// <summary><c>trie_check_add_elem</c>: a value slot for a new prefix, or ENOENT (BPF_EXIST) / ENOSPC (full).</summary>
    int AddEntry(ulong flags)
    {
        if (flags == (ulong)MapUpdateFlags.Exist) return -Errno.ENOENT;
        if (entries == (int)MaxEntries) return -Errno.ENOSPC;
        entries++;
        return freeValues.Pop();
    }

    void Store(int slot, ReadOnlySpan<byte> value) => value[..ValueSize].CopyTo(new Span<byte>(Value(slot), ValueSize));

    /// <summary><c>trie_delete_elem</c>: exact prefix only (bits past it ignored); EINVAL for a too-long prefix,
    /// ENOENT when absent. A node with two children stays as an intermediate node; an intermediate parent left
    /// with one child is removed.</summary>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        var length = PrefixLength(key);
        if (length > trie.MaxPrefixLength) return -Errno.EINVAL;
        var data = Data(key);
        lock (gate)
        {
            var path = new List<LpmNode>();
            ref var where = ref trie.Walk(length, data, out var match, path);
            var node = where;
            if (node is null || node.PrefixLength != length || node.PrefixLength != match || node.Intermediate) return -Errno.ENOENT;
            entries--;
            freeValues.Push(node.Value);
            node.Value = -1;
            if (node.Child[0] is not null && node.Child[1] is not null) return 0;
            var parent = path.Count >= 2 ? path[^2] : null;
            if (parent is { Intermediate: true } && node.Child[0] is null && node.Child[1] is null)
            {
                var sibling = parent.Child[parent.Child[0] == node ? 1 : 0];
                if (path.Count >= 3) path[^3].Child[path[^3].Child[0] == parent ? 0 : 1] = sibling;
                else trie.Root = sibling;
                return 0;
            }
            where = node.Child[0] ?? node.Child[1];
            return 0;
        }
    }

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next)
    {
        lock (gate)
        {
            var node = key.IsEmpty ? trie.Next(0, default, fromStart: true) : trie.Next(PrefixLength(key), Data(key), fromStart: false);
            if (node is null) return -Errno.ENOENT;
            BinaryPrimitives.WriteUInt32LittleEndian(next, (uint)node.PrefixLength);
            node.Data.CopyTo(next[4..]);
            return 0;
        }
    }

    protected override void Free()
    {
        lock (gate) trie.Root = null;
        values.Free();
    }
}
