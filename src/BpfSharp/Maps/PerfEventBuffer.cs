using System.Collections.Concurrent;

namespace BpfSharp.Maps;

/// <summary>One index's sample buffer, bounded like a perf ring: a sample takes the room the kernel's record would
/// (8-byte header, u32 size, data padded so that size + data is a multiple of 8), a full buffer loses the sample.</summary>
internal sealed class PerfEventBuffer(int slot, long capacity, ManualResetEventSlim wakeup)
{
    readonly ConcurrentQueue<byte[]> samples = new();
    long used, lost;

    /// <summary>The slot whose programs may write here.</summary>
    public int Slot { get; } = slot;

    /// <summary>The data size a consumer sees: the kernel pads raw samples so that the u32 size plus data is a
    /// multiple of 8 bytes (<c>perf_sample_save_raw_data</c>), and libbpf hands out the padded size.</summary>
    public static int PaddedSize(int size) => ((size + 4 + 7) & ~7) - 4;

    static long RecordSize(int dataSize) => 8 + 4 + PaddedSize(dataSize);

    public bool TryWrite(ReadOnlySpan<byte> data)
    {
        var need = RecordSize(data.Length);
        var current = Interlocked.Read(ref used);
        while (true)
        {
            if (current + need > capacity)
            {
                Interlocked.Increment(ref lost);
                return false;
            }
            var seen = Interlocked.CompareExchange(ref used, current + need, current);
            if (seen == current) break;
            current = seen;
        }
        var copy = new byte[PaddedSize(data.Length)];
        data.CopyTo(copy);
        samples.Enqueue(copy);
        wakeup.Set();   // libbpf's perf_buffer asks for a wake-up per sample (wakeup_events = 1)
        return true;
    }

    public bool TryRead(out byte[] sample)
    {
        if (!samples.TryDequeue(out sample!)) return false;
        Interlocked.Add(ref used, -(8 + 4 + sample.Length));
        return true;
    }

    /// <summary>Samples lost since the last call, and resets the count (as PERF_RECORD_LOST reports them).</summary>
    public long TakeLost() => Interlocked.Exchange(ref lost, 0);
}
