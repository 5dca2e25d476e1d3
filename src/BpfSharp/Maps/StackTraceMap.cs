using BpfSharp.Abi;
using System.Buffers.Binary;
using System.Numerics;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_STACK_TRACE</c> (kernel/bpf/stackmap.c): stacks by id, an id being the stack's hash
/// masked to a power-of-two number of buckets. Programs add stacks with <c>bpf_get_stackid</c> (one bucket per id:
/// a different stack in the bucket is EEXIST unless <c>BPF_F_REUSE_STACKID</c> replaces it); user space reads a
/// stack (the instruction addresses, zero-padded to the value size) and deletes it. Neither side reads or writes it
/// through the generic map helpers.</summary>
internal sealed class StackTraceMap : Map
{
    /// <summary>sysctl kernel.perf_event_max_stack's default: the deepest stack a value may hold.</summary>
    public const int MaxDepth = 127;

    /// <summary>sizeof(struct bpf_stack_build_id): status, 20-byte build id, then the offset or address; the element
    /// of a BPF_F_STACK_BUILD_ID map.</summary>
    internal const int BuildIdElement = 32;

    const uint CreateFlags = MapFlags.NumaNode | MapFlags.ReadOnly | MapFlags.WriteOnly | MapFlags.StackBuildId;

    /// <summary>A stored stack: its hash and its elements (addresses, or build-id elements).</summary>
    sealed record Bucket(uint Hash, byte[] Data);

    readonly Bucket?[] buckets;
    readonly Lock gate = new();

    public StackTraceMap(MapSpec spec, int slots) : base(Checked(spec), slots) =>
        buckets = new Bucket?[(int)BitOperations.RoundUpToPowerOf2(spec.MaxEntries)];

    /// <summary><c>stack_map_alloc</c>'s checks.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, CreateFlags);
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.KeySize(spec, 4);
        MapChecks.Require(spec.ValueSize >= 8 && spec.ValueSize % 8 == 0, spec, $"value_size {spec.ValueSize} is not a positive multiple of 8");
        var element = (spec.Flags & MapFlags.StackBuildId) != 0 ? BuildIdElement : 8;
        MapChecks.Require(spec.ValueSize % element == 0 && spec.ValueSize / element <= MaxDepth, spec,
            $"value_size {spec.ValueSize} is not a stack of at most {MaxDepth} elements of {element} bytes");
        MapChecks.Require(spec.MaxEntries <= 1u << 31, spec, $"max_entries {spec.MaxEntries} is more than 2^31", Errno.E2BIG);
        return spec;
    }

    /// <summary>Whether values hold build ids and file offsets (user stacks only) rather than addresses.</summary>
    public bool HoldsBuildIds => (Spec.Flags & MapFlags.StackBuildId) != 0;

    /// <summary>How many addresses a value holds.</summary>
    public int Depth => ValueSize / 8;

    /// <summary><c>__bpf_get_stackid</c> for a stack already cut to the skip and the value size: its id; EEXIST when
    /// another stack holds the bucket, unless <paramref name="reuse"/> replaces it. <paramref name="fastCompare"/>
    /// trusts an equal hash without comparing the stacks.</summary>
    public long Add(ReadOnlySpan<byte> stack, bool reuse, bool fastCompare)
    {
        var hash = KeyHash.Compute(stack);
        var id = (int)(hash & (uint)(buckets.Length - 1));
        lock (gate)
        {
            var held = buckets[id];
            if (held is not null && held.Hash == hash && (fastCompare || held.Data.AsSpan().SequenceEqual(stack))) return id;
            if (held is not null && !reuse) return -Errno.EEXIST;
            buckets[id] = new Bucket(hash, stack.ToArray());
            return id;
        }
    }

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        var id = Index(key);
        lock (gate)
        {
            if (id >= buckets.Length || buckets[id] is not { } held) return -Errno.ENOENT;
            value[..ValueSize].Clear();
            held.Data.CopyTo(value);
            return 0;
        }
    }

    /// <summary>Stacks come only from programs.</summary>
    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => -Errno.EINVAL;

    public override int Delete(ReadOnlySpan<byte> key)
    {
        var id = Index(key);
        if (id >= buckets.Length) return -Errno.EINVAL;
        lock (gate)
        {
            if (buckets[id] is null) return -Errno.ENOENT;
            buckets[id] = null;
            return 0;
        }
    }

    /// <summary>The next id that holds a stack; a key that holds none starts over from 0.</summary>
    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next)
    {
        lock (gate)
        {
            var id = key.IsEmpty ? 0u : Index(key);
            id = key.IsEmpty || id >= buckets.Length || buckets[id] is null ? 0 : id + 1;
            while (id < buckets.Length && buckets[id] is null) id++;
            if (id >= buckets.Length) return -Errno.ENOENT;
            BinaryPrimitives.WriteUInt32LittleEndian(next, id);
            return 0;
        }
    }

    protected override void Free() { }
}
