namespace BpfSharp.Maps;

/// <summary>Walking the table in bucket order: <c>htab_map_get_next_key</c> and <c>bpf_for_each_hash_elem</c>.</summary>
internal sealed unsafe partial class HashTable
{
    /// <summary>The key after <paramref name="key"/> in its bucket, else the first of the next non-empty bucket; a
    /// missing (or empty = NULL) key restarts from the first bucket, as the kernel does; ENOENT after the last.</summary>
    public int GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        var start = 0;
        if (!key.IsEmpty)
        {
            var (hash, bucket) = Locate(key);
            lock (LockOf(bucket))
            {
                var e = FindLocked(bucket, hash, key);
                if (e >= 0)
                {
                    if (next[e] >= 0)
                    {
                        KeySpan(next[e]).CopyTo(nextKey);
                        return 0;
                    }
                    start = bucket + 1;
                }
            }
        }
        for (var b = start; b <= bucketMask; b++)
        {
            if (Volatile.Read(ref heads[b]) < 0) continue; // empty: skip without locking
            lock (LockOf(b))
            {
                if (heads[b] < 0) continue;
                KeySpan(heads[b]).CopyTo(nextKey);
                return 0;
            }
        }
        return -Errno.ENOENT;
    }

    /// <summary>Visits every element with the value <paramref name="copy"/> sees. Each bucket's elements are noted
    /// under its lock and visited after, so the visitor may update or delete (the kernel allows both from a
    /// callback); an element deleted meanwhile is skipped.</summary>
    public int ForEach(int copy, MapElementVisitor visit)
    {
        var visited = 0;
        var batch = new List<int>();
        Span<byte> key = keySize <= 256 ? stackalloc byte[keySize] : new byte[keySize];
        for (var b = 0; b <= bucketMask; b++)
        {
            if (Volatile.Read(ref heads[b]) < 0) continue;
            batch.Clear();
            lock (LockOf(b))
                for (var e = heads[b]; e >= 0; e = next[e])
                    batch.Add(e);
            foreach (var e in batch)
            {
                if (Volatile.Read(ref home[e]) != b + 1) continue;
                KeySpan(e).CopyTo(key);
                visited++;
                if (!visit(key, (ulong)ValueOf(e, copy))) return visited;
            }
        }
        return visited;
    }
}
