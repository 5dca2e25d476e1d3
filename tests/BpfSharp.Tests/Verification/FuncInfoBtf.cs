using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Tests.Verification;

/// <summary>The smallest BTF that lets the kernel accept a program taking a function's address: the kernel refuses
/// BPF_PSEUDO_FUNC without func_info ("missing btf func_info") and wants the callback static ("callback function
/// not static"). Types (Documentation/bpf/btf.rst): [1] INT 'int' 32-bit signed, [2] FUNC_PROTO returning [1] with
/// no parameters, then one static FUNC 'fN' of type [2] per function. func_info pairs each function's first
/// instruction with its FUNC type.</summary>
internal static class FuncInfoBtf
{
    const ushort Magic = 0xeB9F;
    const uint KindInt = 1, KindFuncProto = 13, KindFunc = 12, IntSigned = 1;

    /// <summary>The raw BTF for <paramref name="functions"/> functions.</summary>
    public static byte[] Build(int functions)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var types = new MemoryStream();
        var intName = AddString(strings, "int");
        Type(types, intName, KindInt << 24, 4);
        Word(types, IntSigned << 24 | 32);
        Type(types, 0, KindFuncProto << 24, 1);
        for (var i = 0; i < functions; i++)
            Type(types, AddString(strings, $"f{i}"), KindFunc << 24 /* vlen = linkage 0: static */, 2);

        var header = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(header, Magic);
        header[2] = 1; // version
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 24);                    // hdr_len
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 0);                     // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)types.Length);   // type_len
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)types.Length);   // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)strings.Length); // str_len
        return [.. header, .. types.ToArray(), .. strings.ToArray()];
    }

    /// <summary><c>struct bpf_func_info { u32 insn_off; u32 type_id; }</c> for functions starting at
    /// <paramref name="starts"/>: function i has FUNC type id 3 + i.</summary>
    public static byte[] FuncInfo(IReadOnlyList<int> starts)
    {
        var records = new byte[starts.Count * 8];
        for (var i = 0; i < starts.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(records.AsSpan(i * 8), (uint)starts[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(records.AsSpan(i * 8 + 4), (uint)(3 + i));
        }
        return records;
    }

    static uint AddString(MemoryStream strings, string text)
    {
        var offset = (uint)strings.Length;
        strings.Write(Encoding.ASCII.GetBytes(text));
        strings.WriteByte(0);
        return offset;
    }

    /// <summary><c>struct btf_type { u32 name_off; u32 info; u32 size_or_type; }</c></summary>
    static void Type(MemoryStream types, uint nameOff, uint info, uint sizeOrType)
    {
        Word(types, nameOff);
        Word(types, info);
        Word(types, sizeOrType);
    }

    static void Word(MemoryStream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
