using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>A run of framed packets on their way to one replay worker, and the packets the program delivered from
/// them on their way back. Batches are reused round after round, so a replay allocates nothing per packet once its
/// buffers have grown to the capture's packet sizes.</summary>
internal sealed class PacketBatch
{
    byte[] frames = new byte[64 << 10];
    int framesUsed;
    Packet[] packets = new Packet[256];
    readonly DeliveredPackets delivered = new();

    /// <summary>Set by the worker when it has run every packet (or given up on them). The reader waits for it without
    /// spinning: a round takes a worker far longer than a wake-up, and spinning burns the CPU a loaded machine would
    /// give the workers.</summary>
    public ManualResetEventSlim Done { get; } = new(false, spinCount: 1);

    public int Count { get; private set; }

    /// <summary>Why the worker stopped, and at which capture packet; null when it ran them all.</summary>
    public (long Packet, Exception Error)? Failure { get; private set; }

    /// <summary>The delivered packets, in capture order.</summary>
    public DeliveredPackets Delivered => delivered;

    /// <summary>Room for a frame of <paramref name="length"/> bytes; <see cref="Add"/> keeps it.</summary>
    public Span<byte> Reserve(int length)
    {
        if (framesUsed + length > frames.Length) Array.Resize(ref frames, Math.Max(framesUsed + length, frames.Length * 2));
        return frames.AsSpan(framesUsed, length);
    }

    /// <summary>Keeps the frame just written into <see cref="Reserve"/>.</summary>
    public void Add(long packet, long fileOffset, long timestampNs, int length)
    {
        if (Count == packets.Length) Array.Resize(ref packets, packets.Length * 2);
        packets[Count++] = new Packet(packet, fileOffset, timestampNs, framesUsed, length);
        framesUsed += length;
    }

    /// <summary>Runs every packet on <paramref name="worker"/>, unless <paramref name="stop"/> says another worker failed;
    /// keeps the delivered packets when <paramref name="keep"/> (there is an output to merge them into).</summary>
    public void Run(ReplayWorker worker, Func<bool> stop, bool keep)
    {
        worker.Output = keep ? delivered : null;
        for (var i = 0; i < Count && !stop(); i++)
        {
            var p = packets[i];
            try
            {
                worker.Run(frames.AsSpan(p.Offset, p.Length), p.Index, p.FileOffset, p.TimestampNs);
            }
            catch (Exception e)
            {
                Failure = (p.Index, e);
                return;
            }
        }
    }

    /// <summary>Empties the batch for another round.</summary>
    public void Reset()
    {
        (framesUsed, Count, Failure) = (0, 0, null);
        delivered.Clear();
        Done.Reset();
    }

    readonly record struct Packet(long Index, long FileOffset, long TimestampNs, int Offset, int Length);

    /// <summary>Delivered packets with their capture index, for the merge.</summary>
    internal sealed class DeliveredPackets : IDeliveredPackets
    {
        byte[] frames = new byte[16 << 10];
        int framesUsed;
        Entry[] entries = new Entry[64];

        public int Count { get; private set; }

        public long PacketAt(int i) => entries[i].Packet;

        public void WriteTo(int i, CaptureOutputs output)
        {
            var e = entries[i];
            output.Write(e.Target, frames.AsSpan(e.Offset, e.Length), e.TimestampNs, e.OriginalLength);
        }

        public void Write(long packet, RedirectTarget? target, ReadOnlySpan<byte> frame, long timestampNs, int originalLength)
        {
            if (framesUsed + frame.Length > frames.Length) Array.Resize(ref frames, Math.Max(framesUsed + frame.Length, frames.Length * 2));
            if (Count == entries.Length) Array.Resize(ref entries, entries.Length * 2);
            frame.CopyTo(frames.AsSpan(framesUsed));
            entries[Count++] = new Entry(packet, target, timestampNs, originalLength, framesUsed, frame.Length);
            framesUsed += frame.Length;
        }

        public void Clear() => (framesUsed, Count) = (0, 0);

        readonly record struct Entry(long Packet, RedirectTarget? Target, long TimestampNs, int OriginalLength, int Offset, int Length);
    }
}
