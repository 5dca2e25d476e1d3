namespace BpfSharp.Maps;

/// <summary>Updates, deletes and host copies (<c>htab_map_update_elem</c> and its LRU and per-CPU variants).</summary>
internal sealed unsafe partial class HashTable
{
    /// <summary>Creates or replaces; 0 or a negative errno: EINVAL for unknown flags (BPF_F_LOCK included: no
    /// value holds a spin lock), EEXIST, ENOENT, E2BIG when full, ENOMEM when an LRU table cannot reclaim.</summary>
    public int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        return lru ? UpdateLru(key, value, flags, slot) : UpdatePrealloc(key, value, flags, slot);
    }

    int UpdatePrealloc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot)
    {
        var (hash, bucket) = Locate(key);
        lock (LockOf(bucket))
        {
            var old = FindLocked(bucket, hash, key);
            var error = CheckFlags(old, flags);
            if (error != 0) return error;
            if (old >= 0)
            {
                // Per-CPU values are updated in place, as the kernel does; others go into a fresh element so that a
                // reader of the old value never sees half of the new one.
                var fresh = perCpu ? -1 : PopSpare();
                if (fresh < 0)
                {
                    WriteValue(old, value, slot, isNew: false);
                    return 0;
                }
                Fill(fresh, key, hash);
                WriteValue(fresh, value, slot, isNew: true);
                LinkLocked(bucket, fresh);
                UnlinkLocked(bucket, old);
                Release(old, counted: false); // the fresh element took its place in the count
                return 0;
            }
            var e = PopForInsert();
            if (e < 0) return -Errno.E2BIG;
            Fill(e, key, hash);
            WriteValue(e, value, slot, isNew: true);
            LinkLocked(bucket, e);
            return 0;
        }
    }

    /// <summary><c>htab_lru_map_update_elem</c>: the new element is taken (maybe by eviction) before the bucket is
    /// locked, so even a replacement may evict another key when the map is full, as in the kernel. Per-CPU values
    /// of an existing key are updated in place.</summary>
    int UpdateLru(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot)
    {
        var (hash, bucket) = Locate(key);
        var fresh = -1;
        if (!(perCpu && flags == (ulong)MapUpdateFlags.Exist))
        {
            fresh = PopOrEvict();
            if (fresh < 0) return -Errno.ENOMEM;
            Fill(fresh, key, hash);
            if (!perCpu) WriteValue(fresh, value, slot, isNew: true);
        }
        int old, result = 0;
        lock (LockOf(bucket))
        {
            old = FindLocked(bucket, hash, key);
            result = CheckFlags(old, flags);
            if (result == 0 && perCpu && old >= 0)
            {
                used[old] = 1;
                WriteValue(old, value, slot, isNew: false);
            }
            else if (result == 0)
            {
                if (perCpu) WriteValue(fresh, value, slot, isNew: true);
                LinkLocked(bucket, fresh);
                if (old >= 0) UnlinkLocked(bucket, old);
                fresh = -1;
            }
        }
        if (fresh >= 0) Release(fresh, counted: true);
        if (result == 0 && old >= 0 && !perCpu) Release(old, counted: true);
        return result;
    }

    /// <summary><c>check_flags</c>.</summary>
    static int CheckFlags(int old, ulong flags) =>
        old >= 0 && flags == (ulong)MapUpdateFlags.NoExist ? -Errno.EEXIST
        : old < 0 && flags == (ulong)MapUpdateFlags.Exist ? -Errno.ENOENT
        : 0;

    /// <summary>Writes a value. From the host (<see cref="Map.AllSlots"/>) a per-CPU value holds every slot's copy,
    /// each in 8-byte-rounded room; from a program only the slot's copy changes, and a new element's other copies
    /// are zeroed (<c>pcpu_init_value</c>).</summary>
    void WriteValue(int e, ReadOnlySpan<byte> value, int slot, bool isNew)
    {
        if (!perCpu)
        {
            // Whether a fresh element or one rewritten in place, the value is a new one: no timer of the old carries over.
            FreeTimer(e);
            var target = new Span<byte>(ValueOf(e, 0), valueSize);
            value[..valueSize].CopyTo(target);
            ClearTimer(target);
            return;
        }
        for (var s = 0; s < copies; s++)
        {
            var target = new Span<byte>(ValueOf(e, s), valueStride);
            if (slot == Map.AllSlots) value.Slice(s * valueStride, valueSize).CopyTo(target);
            else if (s == slot) value[..valueSize].CopyTo(target);
            else if (isNew) target.Clear();
        }
    }

    /// <summary><c>htab_map_delete_elem</c>: ENOENT when missing.</summary>
    public int Delete(ReadOnlySpan<byte> key)
    {
        var (hash, bucket) = Locate(key);
        int e;
        lock (LockOf(bucket))
        {
            e = FindLocked(bucket, hash, key);
            if (e < 0) return -Errno.ENOENT;
            UnlinkLocked(bucket, e);
        }
        Release(e, counted: true);
        return 0;
    }

    /// <summary>The host's lookup (and lookup-and-delete): the value, or every slot's copy in 8-byte-rounded room.</summary>
    public int CopyOut(ReadOnlySpan<byte> key, Span<byte> value, bool delete)
    {
        var (hash, bucket) = Locate(key);
        int e;
        lock (LockOf(bucket))
        {
            e = FindLocked(bucket, hash, key);
            if (e < 0) return -Errno.ENOENT;
            if (perCpu)
                for (var s = 0; s < copies; s++)
                    new ReadOnlySpan<byte>(ValueOf(e, s), valueStride).CopyTo(value[(s * valueStride)..]);
            else
            {
                new ReadOnlySpan<byte>(ValueOf(e, 0), valueSize).CopyTo(value);
                ClearTimer(value);
            }
            if (!delete) return 0;
            UnlinkLocked(bucket, e);
        }
        Release(e, counted: true);
        return 0;
    }
}
