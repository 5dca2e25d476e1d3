using System.Text;

namespace BpfSharp.Cli;

/// <summary>A write-only stream of UTF-8 that passes its text on to a <see cref="TextWriter"/> (a command's stdout),
/// so that a JSON document can be written as it is made instead of whole from memory. A character split between two
/// writes is held back until its last byte arrives.</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    readonly Decoder decoder = new UTF8Encoding(false, true).GetDecoder();
    char[] chars = new char[4096];

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var needed = decoder.GetCharCount(buffer, flush: false);
        if (needed > chars.Length) chars = new char[Math.Max(needed, chars.Length * 2)];
        var count = decoder.GetChars(buffer, chars, flush: false);
        writer.Write(chars, 0, count);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => writer.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
