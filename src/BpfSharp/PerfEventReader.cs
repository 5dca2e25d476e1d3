using System.Runtime.CompilerServices;
using BpfSharp.Maps;

namespace BpfSharp;

/// <summary>One sample from <c>bpf_perf_event_output</c>: the array index it went to (the writer's slot when it
/// passed <c>BPF_F_CURRENT_CPU</c>) and its data, zero-padded as the kernel pads raw samples (size + 4 is a multiple
/// of 8).</summary>
public readonly record struct PerfSample(int Index, byte[] Data);

/// <summary>The consumer side of a <c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c> map, as libbpf's <c>perf_buffer</c>: while
/// open, each execution slot has a bounded buffer at the index of the same number; samples that do not fit are lost
/// and counted. Dispose closes the buffers (those indices become empty again).</summary>
public sealed class PerfEventReader : IDisposable
{
    readonly PerfEventArrayMap map;
    readonly PerfEventBuffer[] buffers;
    readonly ManualResetEventSlim wakeup = new(false);
    long lostTotal;
    bool disposed;

    internal PerfEventReader(PerfEventArrayMap map, long capacityBytes)
    {
        this.map = map;
        buffers = map.Open(capacityBytes, wakeup);
    }

    /// <summary>Samples lost (buffer full) so far, over all indices.</summary>
    public long LostSamples
    {
        get
        {
            Collect(null);
            return Interlocked.Read(ref lostTotal);
        }
    }

    /// <summary>Hands every buffered sample to <paramref name="onSample"/>, index by index, each index in order;
    /// reports samples lost per index to <paramref name="onLost"/>. Returns the number of samples.</summary>
    public int Poll(Action<PerfSample> onSample, Action<int, long>? onLost = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var count = 0;
        for (var i = 0; i < buffers.Length; i++)
            while (buffers[i].TryRead(out var data))
            {
                onSample(new PerfSample(i, data));
                count++;
            }
        Collect(onLost);
        return count;
    }

    /// <summary>Every buffered sample.</summary>
    public IReadOnlyList<PerfSample> ReadAll()
    {
        var samples = new List<PerfSample>();
        Poll(samples.Add);
        return samples;
    }

    /// <summary>Every sample from now on, as it is written: waits (without a thread) for the next one when the buffers
    /// are empty, until <paramref name="cancellation"/> ends the enumeration or the reader is disposed.</summary>
    public async IAsyncEnumerable<PerfSample> ReadAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var batch = new List<PerfSample>();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(disposed, this);
            // Reset before polling: a sample written after the poll sets the event again, so none is missed.
            wakeup.Reset();
            batch.Clear();
            Poll(batch.Add);
            foreach (var sample in batch) yield return sample;
            if (batch.Count == 0)
                await AsyncWait.For(wakeup.WaitHandle, cancellation).ConfigureAwait(false);
        }
    }

    void Collect(Action<int, long>? onLost)
    {
        for (var i = 0; i < buffers.Length; i++)
        {
            var lost = buffers[i].TakeLost();
            if (lost == 0) continue;
            Interlocked.Add(ref lostTotal, lost);
            onLost?.Invoke(i, lost);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        map.Close(buffers);
        wakeup.Set();   // an enumeration waiting for samples ends (ObjectDisposedException) instead of hanging
    }
}
