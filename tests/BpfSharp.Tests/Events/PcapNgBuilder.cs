using System.Buffers.Binary;

namespace BpfSharp.Tests.Events;

/// <summary>Writes pcapng blocks by hand, in either byte order, for the reader's tests (BpfSharp only writes pcap).</summary>
public sealed class PcapNgBuilder
{
    readonly MemoryStream output = new();
    bool bigEndian;

    public PcapNgBuilder Section(bool bigEndian = false)
    {
        this.bigEndian = bigEndian;
        // byte-order magic, version 1.0, section length -1 (unknown)
        return Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(1), .. U16(0), .. U64(ulong.MaxValue)]);
    }

    /// <summary>An interface; <paramref name="tsresol"/> is the if_tsresol byte, <paramref name="tsoffset"/> seconds.</summary>
    public PcapNgBuilder Interface(ushort linkType = 1, uint snapLength = 0, byte? tsresol = null, long? tsoffset = null)
    {
        var body = new List<byte>([.. U16(linkType), 0, 0, .. U32(snapLength)]);
        if (tsresol is { } r) body.AddRange(Option(9, [r]));
        if (tsoffset is { } o) body.AddRange(Option(14, U64((ulong)o)));
        if (tsresol is not null || tsoffset is not null) body.AddRange(Option(0, []));
        return Block(1, [.. body]);
    }

    public PcapNgBuilder Enhanced(uint interfaceId, ulong ticks, byte[] data, uint? originalLength = null) =>
        Block(6, [.. U32(interfaceId), .. U32((uint)(ticks >> 32)), .. U32((uint)ticks), .. U32((uint)data.Length),
            .. U32(originalLength ?? (uint)data.Length), .. Padded(data)]);

    public PcapNgBuilder Obsolete(ushort interfaceId, ulong ticks, byte[] data) =>
        Block(2, [.. U16(interfaceId), .. U16(0), .. U32((uint)(ticks >> 32)), .. U32((uint)ticks), .. U32((uint)data.Length),
            .. U32((uint)data.Length), .. Padded(data)]);

    public PcapNgBuilder Simple(byte[] data, uint? originalLength = null) =>
        Block(3, [.. U32(originalLength ?? (uint)data.Length), .. Padded(data)]);

    /// <summary>A block the reader skips (name resolution 4, statistics 5, custom 0xBAD ...).</summary>
    public PcapNgBuilder Other(uint type, byte[] body) => Block(type, Padded(body));

    /// <summary>A raw block with any length fields, for corruption tests.</summary>
    public PcapNgBuilder Block(uint type, byte[] body, uint? length = null, uint? trailer = null)
    {
        var total = (uint)(12 + body.Length);
        output.Write(U32(type));
        output.Write(U32(length ?? total));
        output.Write(body);
        output.Write(U32(trailer ?? length ?? total));
        return this;
    }

    public byte[] ToArray() => output.ToArray();

    byte[] Option(ushort code, byte[] value) => [.. U16(code), .. U16((ushort)value.Length), .. Padded(value)];

    static byte[] Padded(byte[] data) => [.. data, .. new byte[(4 - data.Length % 4) % 4]];

    byte[] U16(ushort v)
    {
        var b = new byte[2];
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    byte[] U32(uint v)
    {
        var b = new byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    byte[] U64(ulong v)
    {
        var b = new byte[8];
        if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, v); else BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }
}
