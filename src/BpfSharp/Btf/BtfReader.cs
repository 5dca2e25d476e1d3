using System.Buffers.Binary;

namespace BpfSharp.Btf;

/// <summary>Parses raw BTF (the format of include/uapi/linux/btf.h: a header, a type section of variable-length
/// records, a string section). Every offset, count and id is checked; malformed input gives an
/// <see cref="ObjectFormatException"/> naming the byte offset, never an exception from deep inside.</summary>
internal static class BtfReader
{
    const ushort Magic = 0xeB9F;
    const int HeaderSize = 24;

    /// <summary>Parses a BTF blob.</summary>
    public static BtfGraph Read(ReadOnlySpan<byte> data, string section = ".BTF")
    {
        if (data.Length < HeaderSize)
            throw new ObjectFormatException($"BTF is {data.Length} bytes, shorter than its {HeaderSize}-byte header", section, 0);
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (magic != Magic)
            throw new ObjectFormatException($"bad BTF magic 0x{magic:x4} (expected 0x{Magic:x4}; big-endian BTF is not supported)", section, 0);
        if (data[2] != 1)
            throw new ObjectFormatException($"BTF version {data[2]} is not supported (1 is)", section, 2);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var typeOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        var typeLength = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        var stringOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        var stringLength = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
        if (headerLength < HeaderSize || headerLength > data.Length)
            throw new ObjectFormatException($"BTF header length {headerLength} is out of range", section, 4);
        var types = Slice(data, headerLength, typeOffset, typeLength, "type section", section);
        var strings = new BtfStrings(Slice(data, headerLength, stringOffset, stringLength, "string section", section).ToArray());
        var list = ReadTypes(types, strings, section, (long)headerLength + typeOffset);
        CheckReferences(list, section);
        return new BtfGraph(list, strings);
    }

    static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, uint header, uint offset, uint length, string what, string section)
    {
        var start = (long)header + offset;
        if (start + length > data.Length)
            throw new ObjectFormatException($"BTF {what} [{start}, {start + length}) is outside the {data.Length}-byte blob", section, start);
        return data.Slice((int)start, (int)length);
    }

    static List<BtfType> ReadTypes(ReadOnlySpan<byte> span, BtfStrings strings, string section, long baseOffset)
    {
        var list = new List<BtfType> { new BtfVoid() };
        var reader = new BtfRecordReader(span, section, baseOffset);
        while (!reader.AtEnd)
            list.Add(BtfTypeRecord.Read(ref reader, list.Count, strings));
        return list;
    }

    /// <summary>Every id a type names must exist, so that later walks cannot index past the end.</summary>
    static void CheckReferences(List<BtfType> types, string section)
    {
        foreach (var t in types)
        {
            foreach (var target in References(t))
                if ((uint)target >= (uint)types.Count)
                    throw new ObjectFormatException($"BTF type {t.Id} ({t.Kind} '{t.Name}') refers to type {target}, which does not exist", section);
        }
    }

    static IEnumerable<int> References(BtfType t) => t switch
    {
        BtfReference r => new[] { r.Target },
        BtfArray a => new[] { a.ElementType, a.IndexType },
        BtfComposite c => c.Members.Select(m => m.Type),
        BtfFunction f => new[] { f.Proto },
        BtfFunctionProto p => p.Parameters.Select(x => x.Type).Prepend(p.ReturnType),
        BtfVariable v => new[] { v.Type },
        BtfDataSection d => d.Variables.Select(v => v.Type),
        BtfDeclTag d => new[] { d.Target },
        _ => Array.Empty<int>(),
    };
}
