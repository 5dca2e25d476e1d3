using BpfSharp.Maps;
namespace BpfSharp;

/// <summary>Receives one ring buffer record; the span is valid only during the call.</summary>
public delegate void RingBufferRecordHandler(ReadOnlySpan<byte> record);

/// <summary>The consumer side of a <c>BPF_MAP_TYPE_RINGBUF</c> map, as libbpf's <c>ring_buffer</c>: records come
/// in the order they were reserved, discarded ones are skipped, and reading stops at a record still being written.
/// A ring has one consumer position: readers of the same map share it.</summary>
public sealed class RingBufferReader
{
    readonly BpfMap owner;
    readonly RingBufMap ring;

    internal RingBufferReader(BpfMap owner, RingBufMap ring)
    {
        this.owner = owner;
        this.ring = ring;
    }

    /// <summary>The ring's data size in bytes (<c>max_entries</c>).</summary>
    public ulong Size => ring.Size;

    /// <summary>Bytes produced and not yet consumed, headers included (<c>BPF_RB_AVAIL_DATA</c>).</summary>
    public ulong AvailableData => ring.AvailableData;

    /// <summary>The consumer position: bytes consumed since creation.</summary>
    public ulong ConsumerPosition => ring.ConsumerPosition;

    /// <summary>The producer position: bytes reserved since creation.</summary>
    public ulong ProducerPosition => ring.ProducerPosition;

    /// <summary>Hands every committed record to <paramref name="handler"/> (<c>ring_buffer__consume</c>); returns
    /// how many.</summary>
    public int Consume(RingBufferRecordHandler handler, int limit = int.MaxValue)
    {
        owner.ThrowIfDisposed();
        return ring.Consume(handler, limit);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a producer's notification (or for data already there),
    /// then consumes (<c>ring_buffer__poll</c>); returns how many records were handed out.</summary>
    public int Poll(RingBufferRecordHandler handler, TimeSpan timeout)
    {
        owner.ThrowIfDisposed();
        var wakeup = ring.WakeupEvent;
        if (ring.AvailableData == 0)
        {
            wakeup.Reset();
            if (ring.AvailableData == 0) wakeup.Wait(timeout);
        }
        return ring.Consume(handler, int.MaxValue);
    }

    /// <summary>Copies out and consumes every committed record.</summary>
    public IReadOnlyList<byte[]> ReadAll()
    {
        var records = new List<byte[]>();
        Consume(record => records.Add(record.ToArray()));
        return records;
    }
}
