using System.Buffers.Binary;

namespace BpfSharp.Btf;

/// <summary>The <c>.BTF.ext</c> section: per code section, function info, line info and CO-RE relocations, with
/// instruction offsets turned into slot indexes within that section.</summary>
internal sealed class BtfExt
{
    const ushort Magic = 0xeB9F;

    BtfExt(Dictionary<string, List<FuncInfo>> funcs, Dictionary<string, List<LineInfo>> lines, Dictionary<string, List<CoreRelocation>> core)
    {
        FuncInfos = funcs;
        LineInfos = lines;
        CoreRelocations = core;
    }

    /// <summary>Function info by section name.</summary>
    public IReadOnlyDictionary<string, List<FuncInfo>> FuncInfos { get; }

    /// <summary>Line info by section name, in instruction order.</summary>
    public IReadOnlyDictionary<string, List<LineInfo>> LineInfos { get; }

    /// <summary>CO-RE relocations by section name.</summary>
    public IReadOnlyDictionary<string, List<CoreRelocation>> CoreRelocations { get; }

    /// <summary>An empty one, for objects without <c>.BTF.ext</c>.</summary>
    public static BtfExt Empty { get; } = new(new(), new(), new());

    /// <summary>Parses <c>.BTF.ext</c>; names and strings come from the object's <c>.BTF</c> string section.</summary>
    public static BtfExt Read(ReadOnlySpan<byte> data, BtfStrings strings)
    {
        const string section = ".BTF.ext";
        if (data.Length < 24)
            throw new ObjectFormatException($"BTF.ext is {data.Length} bytes, shorter than its header", section, 0);
        if (BinaryPrimitives.ReadUInt16LittleEndian(data) != Magic)
            throw new ObjectFormatException("bad BTF.ext magic", section, 0);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (headerLength < 24 || headerLength > data.Length)
            throw new ObjectFormatException($"BTF.ext header length {headerLength} is out of range", section, 4);
        var words = new uint[8];
        for (var i = 2; i < Math.Min(8, (int)headerLength / 4); i++)
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(data[(4 * i)..]);
        var funcs = ReadInfo(data, headerLength, words[2], words[3], strings, section, 8,
            (ref BtfRecordReader r, int index) => new FuncInfo(index, r.I32()));
        var lines = ReadInfo(data, headerLength, words[4], words[5], strings, section, 16,
            (ref BtfRecordReader r, int index) =>
            {
                var file = strings[r.U32()];
                var text = strings[r.U32()];
                var lineCol = r.U32();
                return new LineInfo(index, file, (int)(lineCol >> 10), (int)(lineCol & 0x3ff), text);
            });
        var core = headerLength >= 32
            ? ReadInfo(data, headerLength, words[6], words[7], strings, section, 16,
                (ref BtfRecordReader r, int index) =>
                {
                    var type = r.I32();
                    var access = strings[r.U32()];
                    return new CoreRelocation(index, type, access, (CoreRelocationKind)r.U32());
                })
            : new Dictionary<string, List<CoreRelocation>>();
        return new BtfExt(funcs, lines, core);
    }

    delegate T RecordParser<T>(ref BtfRecordReader reader, int instructionIndex);

    /// <summary>Reads one info block: a record size, then per section (name, count, records). Records may be larger
    /// than we know (newer compilers); the extra bytes are skipped.</summary>
    static Dictionary<string, List<T>> ReadInfo<T>(ReadOnlySpan<byte> data, uint header, uint offset, uint length,
        BtfStrings strings, string section, int minimumRecord, RecordParser<T> parse)
    {
        var result = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        if (length == 0) return result;
        var start = (long)header + offset;
        if (start + length > data.Length)
            throw new ObjectFormatException($"BTF.ext info block [{start}, {start + length}) is outside the section", section, start);
        var r = new BtfRecordReader(data.Slice((int)start, (int)length), section, start);
        var recordSize = r.U32();
        if (recordSize < minimumRecord)
            throw r.Error($"BTF.ext record size {recordSize} is smaller than {minimumRecord}");
        while (!r.AtEnd)
        {
            var name = strings[r.U32()];
            var count = r.U32();
            r.Need((long)count * recordSize);
            var list = result.TryGetValue(name, out var existing) ? existing : result[name] = new List<T>();
            for (var i = 0; i < count; i++)
            {
                var recordStart = r.Offset;
                var byteOffset = r.U32();
                if (byteOffset % 8 != 0) throw r.Error($"BTF.ext instruction offset {byteOffset} is not a multiple of 8");
                list.Add(parse(ref r, (int)(byteOffset / 8)));
                r.Skip(recordSize - (r.Offset - recordStart));
            }
        }
        return result;
    }
}
