using BpfSharp.Abi;
using System.Numerics;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_BLOOM_FILTER</c> (kernel/bpf/bloom_filter.c): push sets k bits for a value, peek answers
/// 0 when all k are set ("maybe there") or ENOENT ("surely not"): false positives, never false negatives. k comes
/// from map_extra's low 4 bits (0 means 5); the bitset is sized as the kernel's, max_entries × k / ln 2 bits rounded
/// up to a power of two, at most 2^31.</summary>
internal sealed unsafe class BloomFilterMap : Map
{
    readonly UnmanagedBlock bits;
    readonly ulong bitMask;
    readonly int hashCount;

    public BloomFilterMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        hashCount = (int)(spec.MapExtra & 0xF);
        if (hashCount == 0) hashCount = 5;
        var count = (ulong)MaxEntries * (ulong)hashCount / 5 * 7; // 7 / 5 ≈ 1 / ln 2
        count = count > 1UL << 31 ? 1UL << 31 : BitOperations.RoundUpToPowerOf2(Math.Max(count, 64));
        bitMask = count - 1;
        bits = new UnmanagedBlock(count / 8);
    }

    /// <summary><c>bloom_map_alloc</c>'s checks.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, MapFlags.NumaNode | MapFlags.ZeroSeed | MapFlags.AccessMask);
        MapChecks.KeySize(spec, 0);
        MapChecks.NonZero(spec, spec.ValueSize, "value_size");
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.Require((spec.MapExtra & ~0xFUL) == 0, spec, $"map_extra 0x{spec.MapExtra:x} has bits beyond the hash count (0-15)");
        return spec;
    }

    /// <summary>The number of hash functions.</summary>
    public int HashCount => hashCount;

    /// <summary>The bitset's size in bits.</summary>
    public ulong BitCount => bitMask + 1;

    ulong* Word(ulong bit) => (ulong*)bits.Start + (bit >> 6);

    ulong Bit(ReadOnlySpan<byte> value, int i) => KeyHash.Compute(value, (uint)i) & bitMask;

    /// <summary><c>bloom_map_push_elem</c>: only BPF_ANY.</summary>
    public override int Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags != (ulong)MapUpdateFlags.Any) return -Errno.EINVAL;
        value = value[..ValueSize];
        for (var i = 0; i < hashCount; i++)
        {
            var bit = Bit(value, i);
            Interlocked.Or(ref *Word(bit), 1UL << (int)(bit & 63));
        }
        return 0;
    }

    /// <summary><c>bloom_map_peek_elem</c>: <paramref name="value"/> is the value to test.</summary>
    public override int Peek(Span<byte> value)
    {
        ReadOnlySpan<byte> tested = value[..ValueSize];
        for (var i = 0; i < hashCount; i++)
        {
            var bit = Bit(tested, i);
            if ((Volatile.Read(ref *Word(bit)) & (1UL << (int)(bit & 63))) == 0) return -Errno.ENOENT;
        }
        return 0;
    }

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => Peek(value);

    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => Push(value, flags);

    public override int Delete(ReadOnlySpan<byte> key) => -Errno.EOPNOTSUPP;

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => -Errno.EOPNOTSUPP;

    protected override void Free() => bits.Free();
}
