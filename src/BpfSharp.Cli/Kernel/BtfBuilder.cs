using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Cli.Kernel;

/// <summary>Writes small raw BTF blobs for the harness (Documentation/bpf/btf.rst): a 24-byte header, the types,
/// then the string section. Type ids count from 1 in the order types are added.</summary>
internal sealed class BtfBuilder
{
    const ushort Magic = 0xeB9F;
    const uint KindInt = 1, KindStruct = 4, KindFunc = 12, KindFuncProto = 13;

    readonly MemoryStream types = new();
    readonly MemoryStream strings = new();
    uint count;

    public BtfBuilder() => strings.WriteByte(0); // offset 0 is the empty name

    /// <summary>An integer type of <paramref name="size"/> bytes (all bits used).</summary>
    public uint Int(string name, int size, bool signed)
    {
        Type(Name(name), KindInt << 24, (uint)size);
        Word((signed ? 1u : 0u) << 24 | (uint)size * 8);
        return count;
    }

    /// <summary>A struct of <paramref name="size"/> bytes with members at byte offsets (gaps are padding).</summary>
    public uint Struct(string name, int size, params (string Name, uint Type, int Offset)[] members)
    {
        Type(Name(name), KindStruct << 24 | (uint)members.Length, (uint)size);
        foreach (var (memberName, type, offset) in members)
        {
            Word(Name(memberName));
            Word(type);
            Word((uint)offset * 8);
        }
        return count;
    }

    /// <summary>A function prototype returning <paramref name="returnType"/>, without parameters.</summary>
    public uint FuncProto(uint returnType) => Type(0, KindFuncProto << 24, returnType);

    /// <summary>A function of prototype <paramref name="proto"/>; linkage 0 is static.</summary>
    public uint Func(string name, uint proto, uint linkage = 0) => Type(Name(name), KindFunc << 24 | linkage, proto);

    /// <summary>The blob.</summary>
    public byte[] Build()
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(header, Magic);
        header[2] = 1; // version
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 24);                    // hdr_len
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)types.Length);   // type_len (type_off 0)
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)types.Length);   // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)strings.Length); // str_len
        return [.. header, .. types.ToArray(), .. strings.ToArray()];
    }

    uint Name(string name)
    {
        if (name.Length == 0) return 0;
        var offset = (uint)strings.Length;
        strings.Write(Encoding.ASCII.GetBytes(name));
        strings.WriteByte(0);
        return offset;
    }

    /// <summary><c>struct btf_type { u32 name_off; u32 info; u32 size_or_type; }</c></summary>
    uint Type(uint nameOff, uint info, uint sizeOrType)
    {
        Word(nameOff);
        Word(info);
        Word(sizeOrType);
        return ++count;
    }

    void Word(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        types.Write(bytes);
    }
}
