using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Maps;

namespace BpfSharp;

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

    /// <summary>Hands every committed record to <paramref name="handler"/> (<c>ring_buffer__consume</c>; the span is
    /// valid only during the call); returns how many.</summary>
    public int Consume(Action<ReadOnlySpan<byte>> handler, int limit = int.MaxValue)
    {
        owner.ThrowIfDisposed();
        return ring.Consume(handler, limit);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a producer's notification (or for data already there),
    /// then consumes (<c>ring_buffer__poll</c>); returns how many records were handed out.</summary>
    public int Poll(Action<ReadOnlySpan<byte>> handler, TimeSpan timeout)
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

    /// <summary>Every record from now on, copied out, as it is committed: waits (without a thread) for the producers'
    /// wake-up when the ring is empty, until <paramref name="cancellation"/> ends the enumeration. Each record is
    /// consumed when it is handed out.</summary>
    public async IAsyncEnumerable<byte[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var batch = new List<byte[]>();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            owner.ThrowIfDisposed();
            var wakeup = ring.WakeupEvent;
            wakeup.Reset();
            batch.Clear();
            ring.Consume(record => batch.Add(record.ToArray()), int.MaxValue);
            foreach (var record in batch) yield return record;
            // Reset before consuming: a record committed after the consume sets the event again, so none is missed.
            if (batch.Count == 0)
                await AsyncWait.For(wakeup.WaitHandle, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>As <see cref="ReadAsync(CancellationToken)"/>, each record read as a <typeparamref name="T"/> (the C
    /// struct the program submits, laid out as in C).</summary>
    /// <exception cref="MapException">A record shorter than <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<T> ReadAsync<T>([EnumeratorCancellation] CancellationToken cancellation = default) where T : unmanaged
    {
        await foreach (var record in ReadAsync(cancellation).ConfigureAwait(false))
            yield return record.Length >= Unsafe.SizeOf<T>() ? MemoryMarshal.Read<T>(record)
                : throw new MapException(owner.Name, "read", Errno.EINVAL, $"a {record.Length}-byte record is shorter than {typeof(T).Name} ({Unsafe.SizeOf<T>()} bytes)");
    }
}
