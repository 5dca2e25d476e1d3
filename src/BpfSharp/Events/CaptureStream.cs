namespace BpfSharp.Events;

/// <summary>Reads a capture front to back through one large buffer, handing out slices of it (valid until the next
/// read), and knows the file offset of every byte, so that each error can name where it is.</summary>
internal sealed class CaptureStream(Stream stream, string name, bool leaveOpen) : IDisposable
{
    const int InitialBuffer = 1 << 20;

    // A small capture gets a small buffer: the fuzz tests open thousands.
    byte[] buffer = new byte[stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position, 64, InitialBuffer) : InitialBuffer];
    int start, end;
    long bufferOffset; // file offset of buffer[0]

    public string Name { get; } = name;

    /// <summary>The file offset of the next unread byte.</summary>
    public long Position => bufferOffset + start;

    /// <summary>The file's length when the stream knows it (for progress), else null.</summary>
    public long? Length => stream.CanSeek ? stream.Length : null;

    /// <summary>The next <paramref name="count"/> bytes; false at a clean end of file (no byte left). A file that
    /// ends inside them is truncated: the error names <paramref name="what"/> and where it started.</summary>
    public bool TryRead(int count, string what, out ReadOnlyMemory<byte> bytes) => TryRead(count, what, static w => w, out bytes);

    /// <summary><see cref="TryRead(int, string, out ReadOnlyMemory{byte})"/> for a record read once per packet, whose
    /// description is only formatted for an error.</summary>
    public bool TryRead<TState>(int count, TState state, Func<TState, string> what, out ReadOnlyMemory<byte> bytes)
    {
        if (!Fill(count))
        {
            bytes = default;
            if (end == start) return false;
            throw Error(Position, $"the file ends inside {what(state)}: {count} bytes needed, {end - start} left (a truncated capture)");
        }
        bytes = buffer.AsMemory(start, count);
        start += count;
        return true;
    }

    /// <summary>The next <paramref name="count"/> bytes, which must be there.</summary>
    public ReadOnlyMemory<byte> Read(int count, string what) => Read(count, what, static w => w);

    /// <summary><see cref="Read(int, string)"/>, the description formatted only for an error.</summary>
    public ReadOnlyMemory<byte> Read<TState>(int count, TState state, Func<TState, string> what)
    {
        var at = Position;
        if (TryRead(count, state, what, out var bytes)) return bytes;
        throw Error(at, $"the file ends where {what(state)} should start (a truncated capture)");
    }

    /// <summary>Passes over <paramref name="count"/> bytes without keeping them (blocks nobody reads).</summary>
    public void Skip<TState>(long count, TState state, Func<TState, string> what)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, InitialBuffer);
            Read(chunk, state, what);
            count -= chunk;
        }
    }

    public CaptureFormatException Error(long offset, string message) => new(message, Name, offset);

    /// <summary>Makes <paramref name="count"/> bytes available from <see cref="start"/>; false when the file ends first.</summary>
    bool Fill(int count)
    {
        if (end - start >= count) return true;
        if (count > buffer.Length - start)
        {
            // Move what is left to the front, growing the buffer for a record larger than it.
            var target = count > buffer.Length ? new byte[Math.Max(count, buffer.Length * 2)] : buffer;
            Buffer.BlockCopy(buffer, start, target, 0, end - start);
            bufferOffset += start;
            (buffer, end, start) = (target, end - start, 0);
        }
        while (end - start < count)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0) return false;
            end += read;
        }
        return true;
    }

    public void Dispose()
    {
        if (!leaveOpen) stream.Dispose();
    }
}
