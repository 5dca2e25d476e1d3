using System.Buffers.Binary;

namespace BpfSharp.Btf;

/// <summary>A cursor over a BTF or BTF.ext section that reads little-endian words and reports a short read with the
/// absolute byte offset.</summary>
internal ref struct BtfRecordReader(ReadOnlySpan<byte> span, string section, long baseOffset)
{
    readonly ReadOnlySpan<byte> span = span;
    int position;

    public readonly bool AtEnd => position >= span.Length;

    public readonly long Offset => baseOffset + position;

    public uint U32()
    {
        Need(4);
        var v = BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
        position += 4;
        return v;
    }

    public int I32() => (int)U32();

    /// <summary>Skips <paramref name="count"/> bytes (records larger than the fields we read).</summary>
    public void Skip(long count)
    {
        Need(count);
        position += (int)count;
    }

    /// <summary>Throws unless <paramref name="count"/> more bytes are there.</summary>
    public readonly void Need(long count)
    {
        if (count < 0 || position + count > span.Length)
            throw new ObjectFormatException($"BTF record at offset {Offset} needs {count} bytes, only {span.Length - position} remain",
                section, Offset);
    }

    public readonly ObjectFormatException Error(string message) => new(message, section, Offset);
}
