using System.Numerics;
using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary>The machinery of the hash kinds (kernel/bpf/hashtab.c, preallocated): a fixed pool of elements in one
/// unmanaged block (keys first, then values, slot-major for per-CPU values), chained into a power-of-two number of
/// buckets. Only keys and values live in unmanaged memory; the structure (chains, hashes, free list) lives in managed
/// arrays, so a program that scribbles over its values can corrupt contents but never the table.
/// <para>Readers walk chains without locks, as the kernel's RCU readers: a chain ends in a marker naming its bucket
/// (the kernel's "nulls"), and a walk that ends in another marker was diverted by a concurrent move and restarts.
/// Writers take a per-bucket lock (striped). A deleted element goes back to the free list at once and may be reused,
/// as in the kernel's preallocated maps, so a pointer a program holds stays valid memory.</para></summary>
internal sealed unsafe partial class HashTable
{
    const int MaxLocks = 1024;

    readonly int keySize, keyStride, valueSize, valueStride, copies, pool, maxEntries;
    readonly bool perCpu, lru;
    readonly UnmanagedBlock block;
    readonly byte* keys, values;
    readonly int bucketMask;
    readonly int[] heads;   // bucket → first element, or ~bucket when empty
    readonly int[] next;    // element → next element, ~bucket at a chain's end, FreeEnd at the free list's end
    readonly uint[] hashes;
    readonly int[] home;    // element → bucket + 1 while linked, 0 otherwise
    readonly byte[] used;   // LRU reference bits
    readonly object[] locks;

    /// <summary>A table for <paramref name="maxEntries"/> keys. <paramref name="copies"/> is the number of values
    /// per element (the slot count for per-CPU kinds, else 1); <paramref name="spares"/> elements beyond max_entries
    /// let a replacement be built before the old element is unlinked (the kernel's extra_elems).</summary>
    public HashTable(int keySize, int valueSize, uint maxEntries, int copies, bool perCpu, bool lru, int spares)
    {
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.copies = copies;
        this.perCpu = perCpu;
        this.lru = lru;
        this.maxEntries = (int)maxEntries;
        pool = this.maxEntries + spares;
        keyStride = Map.Round8(keySize);
        valueStride = Map.Round8(valueSize);
        var keyBytes = (ulong)pool * (ulong)keyStride;
        block = new UnmanagedBlock(keyBytes + (ulong)copies * (ulong)pool * (ulong)valueStride);
        keys = block.Start;
        values = block.Start + keyBytes;

        var buckets = (int)BitOperations.RoundUpToPowerOf2(maxEntries);
        bucketMask = buckets - 1;
        heads = new int[buckets];
        for (var b = 0; b < buckets; b++) heads[b] = ~b;
        next = new int[pool];
        hashes = new uint[pool];
        home = new int[pool];
        used = lru ? new byte[pool] : [];
        locks = new object[Math.Min(buckets, MaxLocks)];
        for (var i = 0; i < locks.Length; i++) locks[i] = new object();
        InitFreeList();
    }

    public int KeySize => keySize;

    /// <summary>The values, which is all programs get pointers to.</summary>
    public MemoryRegion ValueRegion(string name, MemoryAccess access) =>
        new(name, (ulong)values, (ulong)copies * (ulong)pool * (ulong)valueStride, access);

    byte* KeyOf(int e) => keys + (nint)e * keyStride;

    public byte* ValueOf(int e, int copy) => values + ((nint)copy * pool + e) * valueStride;

    ReadOnlySpan<byte> KeySpan(int e) => new(KeyOf(e), keySize);

    object LockOf(int bucket) => locks[bucket & (locks.Length - 1)];

    (uint Hash, int Bucket) Locate(ReadOnlySpan<byte> key)
    {
        var hash = KeyHash.Compute(key);
        return (hash, (int)(hash & (uint)bucketMask));
    }

    /// <summary>The element holding <paramref name="key"/>, or -1, without locking (a program's lookup). An LRU
    /// lookup marks the element used, as <c>htab_lru_map_lookup_elem</c> does (host lookups do not).</summary>
    public int Find(ReadOnlySpan<byte> key, bool markUsed)
    {
        var (hash, bucket) = Locate(key);
        var e = FindLockFree(bucket, hash, key);
        if (markUsed && e >= 0 && used[e] == 0) used[e] = 1; // test first: keep the cache line clean
        return e;
    }

    int FindLockFree(int bucket, uint hash, ReadOnlySpan<byte> key)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var e = Volatile.Read(ref heads[bucket]);
            for (var steps = 0; e >= 0 && steps < pool; steps++)
            {
                if (hashes[e] == hash && KeySpan(e).SequenceEqual(key)) return e;
                e = Volatile.Read(ref next[e]);
            }
            if (e == ~bucket) return -1; // our own chain's end: a true miss
        }
        lock (LockOf(bucket)) return FindLocked(bucket, hash, key);
    }

    int FindLocked(int bucket, uint hash, ReadOnlySpan<byte> key)
    {
        for (var e = heads[bucket]; e >= 0; e = next[e])
            if (hashes[e] == hash && KeySpan(e).SequenceEqual(key))
                return e;
        return -1;
    }

    /// <summary>Writes the key of an element nobody else sees yet.</summary>
    void Fill(int e, ReadOnlySpan<byte> key, uint hash)
    {
        key.CopyTo(new Span<byte>(KeyOf(e), keySize));
        hashes[e] = hash;
        if (lru) used[e] = 0;
    }

    /// <summary>Links at the head, as the kernel does, so a concurrent reader finds a replacement before the old
    /// element. Bucket lock held.</summary>
    void LinkLocked(int bucket, int e)
    {
        next[e] = heads[bucket];
        Volatile.Write(ref home[e], bucket + 1);
        Volatile.Write(ref heads[bucket], e); // publishes the filled element to lock-free readers
    }

    /// <summary>Bucket lock held; <paramref name="e"/> is in the bucket.</summary>
    void UnlinkLocked(int bucket, int e)
    {
        if (heads[bucket] == e)
            Volatile.Write(ref heads[bucket], next[e]);
        else
        {
            var p = heads[bucket];
            while (next[p] != e) p = next[p];
            Volatile.Write(ref next[p], next[e]);
        }
        Volatile.Write(ref home[e], 0);
    }

    /// <summary>Where each value holds a <c>struct bpf_timer</c>, or -1: an element's timer goes with the element
    /// (<c>check_and_free_fields</c>), and a new value starts with none.</summary>
    public int TimerOffset { get; set; } = -1;

    void FreeTimer(int e)
    {
        if (TimerOffset >= 0) TimerFields.Release((ulong)ValueOf(e, 0) + (ulong)TimerOffset);
    }

    void ClearTimer(Span<byte> value)
    {
        if (TimerOffset >= 0) value.Slice(TimerOffset, Map.TimerSize).Clear();
    }

    /// <summary>The key of the element whose (first) value starts at <paramref name="value"/>.</summary>
    public bool TryGetKeyOf(ulong value, Span<byte> key)
    {
        var offset = value - (ulong)values;
        if (value < (ulong)values || offset % (ulong)valueStride != 0 || offset / (ulong)valueStride >= (ulong)pool) return false;
        var e = (int)(offset / (ulong)valueStride);
        if (Volatile.Read(ref home[e]) == 0) return false;
        KeySpan(e).CopyTo(key);
        return true;
    }

    public void Free()
    {
        for (var e = 0; e < pool && TimerOffset >= 0; e++) FreeTimer(e);
        block.Free();
    }
}
