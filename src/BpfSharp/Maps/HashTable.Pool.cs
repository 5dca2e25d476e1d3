namespace BpfSharp.Maps;

/// <summary>The element pool: a free list and the count of live elements (linked, or being built to be linked), both
/// under one lock, so that "the map is full" is exact. LRU tables reclaim elements with a clock sweep when full.</summary>
internal sealed partial class HashTable
{
    const int FreeEnd = int.MinValue; // distinct from every ~bucket, so a reader diverted here restarts

    readonly object freeLock = new();
    int freeHead, freeCount, live, clockHand;

    /// <summary>Elements in use (linked or being built).</summary>
    public int Count => Volatile.Read(ref live);

    void InitFreeList()
    {
        freeHead = FreeEnd;
        for (var e = pool - 1; e >= 0; e--)
        {
            next[e] = freeHead;
            freeHead = e;
        }
        freeCount = pool;
    }

    int PopLocked()
    {
        var e = freeHead;
        freeHead = next[e];
        freeCount--;
        return e;
    }

    /// <summary>An element for a new key, or -1 when max_entries are live.</summary>
    int PopForInsert()
    {
        lock (freeLock)
        {
            if (live >= maxEntries || freeHead == FreeEnd) return -1;
            live++;
            return PopLocked();
        }
    }

    /// <summary>A spare element to build a replacement in, or -1 when none is left over after keeping room for
    /// max_entries live elements (the caller then updates in place).</summary>
    int PopSpare()
    {
        lock (freeLock)
        {
            if (freeCount - (maxEntries - live) <= 0) return -1;
            return PopLocked();
        }
    }

    /// <summary>Returns an unlinked element to the free list; <paramref name="counted"/> when it was live.</summary>
    void Release(int e, bool counted)
    {
        FreeTimer(e);
        lock (freeLock)
        {
            next[e] = freeHead;
            freeHead = e;
            freeCount++;
            if (counted) live--;
        }
    }

    /// <summary>An element for a new key in an LRU table: a free one, else the least recently used, unlinked
    /// (<c>prealloc_lru_pop</c>). A clock sweep approximates LRU as the kernel's lists do: an element used since the
    /// hand last passed gets a second chance. -1 (ENOMEM) only if every element is being built by other threads.</summary>
    int PopOrEvict()
    {
        var e = PopForInsert();
        if (e >= 0) return e;
        for (var step = 0; step < 2 * pool + 2; step++)
        {
            var victim = (int)((uint)Interlocked.Increment(ref clockHand) % (uint)pool);
            var where = Volatile.Read(ref home[victim]);
            if (where == 0) continue;
            if (used[victim] != 0)
            {
                used[victim] = 0;
                continue;
            }
            lock (LockOf(where - 1))
            {
                if (home[victim] != where) continue; // moved or freed meanwhile
                UnlinkLocked(where - 1, victim);
            }
            return victim; // stays counted as live: it is reused at once
        }
        return PopForInsert();
    }
}
