using BpfSharp.Abi;
using System.Numerics;
using BpfSharp.Execution;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_RINGBUF</c> (kernel/bpf/ringbuf.c): a multi-producer, single-consumer ring of records,
/// each behind an 8-byte header (u32 length with the busy bit 31 and discard bit 30, u32 page offset). Producers
/// reserve in order under a lock, fill the record in place, then submit or discard it; the consumer reads committed
/// records in order and stops at the first busy one.
/// <para>The kernel maps the data pages twice, back to back, so a record that wraps is contiguous; this block is two
/// ring sizes long for the same reason (a record is at most one ring size, starting inside the first). The header's
/// page-offset field holds the map id instead, which is how <c>bpf_ringbuf_submit(data)</c> finds the ring.</para></summary>
internal sealed unsafe class RingBufMap : Map
{
    public const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;
    public const int HeaderSize = 8;
    public const ulong NoWakeup = 1, ForceWakeup = 2;
    const ulong MaxRecordSize = uint.MaxValue / 4; // RINGBUF_MAX_RECORD_SZ

    readonly UnmanagedBlock block;
    readonly ulong mask;
    readonly object producerGate = new(), consumerGate = new();
    readonly MemoryRegion[] regions;
    readonly ManualResetEventSlim wakeup = new(false);
    long consumerPos, producerPos, pendingPos, wakeups;

    public RingBufMap(MapSpec spec, int slots) : base(Checked(spec), slots)
    {
        mask = MaxEntries - 1UL;
        block = new UnmanagedBlock(2UL * MaxEntries);
        regions = [block.Region(RegionName, MemoryAccess.ReadWrite)];
    }

    /// <summary><c>ringbuf_map_alloc</c>: only BPF_F_NUMA_NODE; no key or value; a power-of-two, page-aligned size.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, MapFlags.NumaNode);
        MapChecks.KeySize(spec, 0);
        MapChecks.ValueSize(spec, 0);
        MapChecks.Require(BitOperations.IsPow2(spec.MaxEntries) && spec.MaxEntries % 4096 == 0, spec,
            $"max_entries (the ring size) must be a power of 2 and a multiple of the 4096-byte page, not {spec.MaxEntries}");
        return spec;
    }

    public override IReadOnlyList<MemoryRegion> Regions => regions;

    public ulong Size => MaxEntries;
    public ulong ConsumerPosition => (ulong)Volatile.Read(ref consumerPos);
    public ulong ProducerPosition => (ulong)Volatile.Read(ref producerPos);
    public ulong AvailableData => ProducerPosition - ConsumerPosition;

    /// <summary>Notifications sent to the consumer so far.</summary>
    public long Wakeups => Interlocked.Read(ref wakeups);

    internal ManualResetEventSlim WakeupEvent => wakeup;

    uint* Header(ulong position) => (uint*)(block.Start + (position & mask));

    /// <summary><c>__bpf_ringbuf_reserve</c>: the record's address, or 0 when flags are set, the record is too large,
    /// or there is no room between the consumer (or the oldest uncommitted record) and the producer.</summary>
    public ulong Reserve(ulong size, ulong flags)
    {
        if (flags != 0 || size > MaxRecordSize) return 0;
        var length = (size + HeaderSize + 7) & ~7UL;
        if (length > Size) return 0;
        var consumer = ConsumerPosition;
        lock (producerGate)
        {
            var pending = (ulong)pendingPos;
            var producer = (ulong)producerPos;
            // Skip committed records so that "pending" is the oldest still busy one.
            while (pending < producer)
            {
                var header = Volatile.Read(ref *Header(pending));
                if ((header & BusyBit) != 0) break;
                pending += ((header & ~DiscardBit) + HeaderSize + 7UL) & ~7UL;
            }
            pendingPos = (long)pending;
            var end = producer + length;
            if (end - consumer > mask || end - pending > mask) return 0;
            var record = Header(producer);
            record[1] = (uint)Id;
            Volatile.Write(ref record[0], (uint)size | BusyBit);
            Volatile.Write(ref producerPos, (long)end); // pairs with the consumer's acquire
            return (ulong)record + HeaderSize;
        }
    }

    /// <summary>Whether <paramref name="sample"/> is the data of a record reserved and not yet submitted.</summary>
    public bool IsReserved(ulong sample)
    {
        var offset = sample - HeaderSize - (ulong)block.Start;
        return offset < Size && offset % 8 == 0 && (Volatile.Read(ref *Header(offset)) & BusyBit) != 0;
    }

    /// <summary><c>bpf_ringbuf_commit</c>: clears the busy bit (sets discard if asked) and wakes the consumer if it
    /// waits on this very record, unless BPF_RB_NO_WAKEUP; BPF_RB_FORCE_WAKEUP always wakes it.</summary>
    public void Commit(ulong sample, ulong flags, bool discard)
    {
        var header = (uint*)(sample - HeaderSize);
        var length = Volatile.Read(ref *header) ^ BusyBit;
        if (discard) length |= DiscardBit;
        Interlocked.Exchange(ref *(int*)header, (int)length);
        var position = (ulong)header - (ulong)block.Start;
        if ((flags & ForceWakeup) != 0 || (position == (ConsumerPosition & mask) && (flags & NoWakeup) == 0))
        {
            Interlocked.Increment(ref wakeups);
            wakeup.Set();
        }
    }

    /// <summary><c>bpf_ringbuf_output</c>: reserve, copy, submit; EINVAL for unknown flags, EAGAIN without room.</summary>
    public int Output(ReadOnlySpan<byte> data, ulong flags)
    {
        if ((flags & ~(NoWakeup | ForceWakeup)) != 0) return -Errno.EINVAL;
        var sample = Reserve((ulong)data.Length, 0);
        if (sample == 0) return -Errno.EAGAIN;
        data.CopyTo(new Span<byte>((void*)sample, data.Length));
        Commit(sample, flags, discard: false);
        return 0;
    }

    /// <summary><c>bpf_ringbuf_query</c>: BPF_RB_AVAIL_DATA (0), BPF_RB_RING_SIZE (1), BPF_RB_CONS_POS (2),
    /// BPF_RB_PROD_POS (3); 0 for anything else.</summary>
    public ulong Query(ulong flags) => flags switch
    {
        0 => AvailableData,
        1 => Size,
        2 => ConsumerPosition,
        3 => ProducerPosition,
        _ => 0,
    };

    /// <summary>The consumer's side: calls <paramref name="handler"/> for each committed record in order, skipping
    /// discarded ones, and stops at the first busy record. The consumer position moves past a record only after its
    /// handler returns, so the producer cannot overwrite data being read (and a handler that throws sees the record
    /// again next time). Returns the number of records handed out.</summary>
    internal int Consume(Action<ReadOnlySpan<byte>> handler, int limit)
    {
        lock (consumerGate) return ConsumeLocked(handler, limit);
    }

    int ConsumeLocked(Action<ReadOnlySpan<byte>> handler, int limit)
    {
        var count = 0;
        var consumer = ConsumerPosition;
        while (count < limit)
        {
            var producer = ProducerPosition;
            if (consumer >= producer) break;
            var header = Volatile.Read(ref *Header(consumer));
            if ((header & BusyBit) != 0) break;
            var length = header & ~DiscardBit;
            var recordLength = (length + HeaderSize + 7UL) & ~7UL;
            if (recordLength > producer - consumer)
                throw new InvalidDataException($"ring buffer '{Name}': record header at position {consumer} claims {length} bytes; a program overwrote it");
            if ((header & DiscardBit) == 0)
            {
                handler(new ReadOnlySpan<byte>((byte*)Header(consumer) + HeaderSize, (int)length));
                count++;
            }
            consumer += recordLength;
            Volatile.Write(ref consumerPos, (long)consumer);
        }
        return count;
    }

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value) => -Errno.ENOTSUPP;
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int slot) => -Errno.ENOTSUPP;
    public override int Delete(ReadOnlySpan<byte> key) => -Errno.ENOTSUPP;
    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => -Errno.ENOTSUPP;

    protected override void Free()
    {
        block.Free();
        wakeup.Dispose();
    }
}
