using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.Debugging;

/// <summary>Shows bytes as the BTF type describes them: integers, enums by name, pointers, character arrays as
/// strings, structures and arrays member by member. Bounded: a few levels deep and 64 elements per array, so a
/// hostile type chain cannot make a huge answer.</summary>
internal static class BtfValues
{
    const int MaxDepth = 4;
    const int MaxElements = 64;

    /// <summary>The value of type <paramref name="typeId"/> in <paramref name="bytes"/> (shorter than the type:
    /// the missing part shows as <c>?</c>).</summary>
    public static DebugValue Show(BtfGraph btf, string name, int typeId, ReadOnlySpan<byte> bytes) => Show(btf, name, typeId, bytes, 0);

    static DebugValue Show(BtfGraph btf, string name, int typeId, ReadOnlySpan<byte> bytes, int depth)
    {
        var typeName = TypeName(btf, typeId);
        var type = btf.SkipModifiers(typeId);
        ulong size;
        try { size = btf.SizeOf(typeId); }
        catch (ObjectFormatException) { return new(name, typeName, "?"); }
        if ((ulong)bytes.Length < size) return new(name, typeName, "?");
        bytes = bytes[..(int)size];
        switch (type)
        {
            case BtfInt i:
                return new(name, typeName, Integer(Read(bytes), i.IsSigned, i.IsChar, i.IsBool, bytes.Length));
            case BtfEnum e:
            {
                var raw = Read(bytes);
                var value = e.IsSigned ? SignExtend(raw, bytes.Length) : (long)raw;
                return new(name, typeName, e.Values.FirstOrDefault(v => v.Value == value)?.Name ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            case BtfReference { Kind: BtfKind.Pointer }:
                return new(name, typeName, $"0x{Read(bytes):x}");
            case BtfArray a when btf.SkipModifiers(a.ElementType) is BtfInt { Size: 1 }:
                return new(name, typeName, Quoted(bytes));
            case BtfArray a when depth < MaxDepth:
            {
                var elementSize = (int)btf.SizeOf(a.ElementType);
                var count = (int)Math.Min(a.Count, MaxElements);
                var elements = new List<DebugValue>(count);
                for (var k = 0; k < count; k++)
                    elements.Add(Show(btf, $"[{k}]", a.ElementType, bytes.Slice(k * elementSize, elementSize), depth + 1));
                return new(name, typeName, $"[{a.Count}]", elements);
            }
            case BtfComposite c when depth < MaxDepth:
            {
                var members = new List<DebugValue>(c.Members.Count);
                foreach (var m in c.Members)
                {
                    var offset = (int)(m.BitOffset / 8);
                    if (m.BitfieldSize != 0 || m.BitOffset % 8 != 0)
                    {
                        var word = Read(bytes[offset..Math.Min(bytes.Length, offset + 8)]);
                        var bits = m.BitfieldSize == 0 ? 64 : m.BitfieldSize;
                        var field = (word >> (int)(m.BitOffset % 8)) & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1);
                        members.Add(new(m.Name, TypeName(btf, m.Type), $"{field}"));
                        continue;
                    }
                    members.Add(Show(btf, m.Name.Length > 0 ? m.Name : "(anonymous)", m.Type, bytes[offset..], depth + 1));
                }
                return new(name, typeName, "{...}", members);
            }
            default:
                return new(name, typeName, Convert.ToHexStringLower(bytes));
        }
    }

    /// <summary>The C spelling of a type: <c>struct __sk_buff *</c>, <c>__u32</c>, <c>char[4]</c>.</summary>
    public static string TypeName(BtfGraph btf, int typeId)
    {
        var suffix = "";
        for (var depth = 0; depth < BtfGraph.MaxChain; depth++)
        {
            var type = btf[typeId];
            switch (type)
            {
                case BtfReference { Kind: BtfKind.Pointer } p:
                    suffix = " *" + suffix;
                    typeId = p.Target;
                    continue;
                case BtfReference { Kind: BtfKind.Const } c:
                    suffix = " const" + suffix;
                    typeId = c.Target;
                    continue;
                case BtfReference { Kind: BtfKind.Typedef } t:
                    return t.Name + suffix;
                case BtfReference r:
                    typeId = r.Target;
                    continue;
                case BtfArray a:
                    suffix = $"[{a.Count}]" + suffix;
                    typeId = a.ElementType;
                    continue;
                case BtfComposite c:
                    return $"{(c.IsUnion ? "union" : "struct")} {c.Name}{suffix}";
                case BtfEnum e:
                    return $"enum {e.Name}{suffix}";
                case BtfVoid:
                    return "void" + suffix;
                default:
                    return type.Name + suffix;
            }
        }
        return "?";
    }

    /// <summary>Up to 8 bytes, little-endian (BPF objects BpfSharp runs are bpfel).</summary>
    static ulong Read(ReadOnlySpan<byte> bytes)
    {
        Span<byte> eight = stackalloc byte[8];
        eight.Clear();
        bytes[..Math.Min(bytes.Length, 8)].CopyTo(eight);
        return BinaryPrimitives.ReadUInt64LittleEndian(eight);
    }

    static long SignExtend(ulong value, int size) => size >= 8 ? (long)value : (long)(value << (64 - 8 * size)) >> (64 - 8 * size);

    static string Integer(ulong value, bool signed, bool isChar, bool isBool, int size)
    {
        if (isBool) return value != 0 ? "true" : "false";
        if (isChar && size == 1) return value is >= 0x20 and < 0x7f ? $"{value} '{(char)value}'" : $"{value}";
        if (signed && SignExtend(value, size) is var s and < 0) return s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return value < 10 ? $"{value}" : $"{value} (0x{value:x})";
    }

    /// <summary>A char array as C would print it, up to its first NUL.</summary>
    static string Quoted(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        var text = new StringBuilder("\"");
        foreach (var b in end < 0 ? bytes : bytes[..end])
            text.Append(b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\' ? (char)b : $"\\x{b:x2}");
        return text.Append('"').ToString();
    }
}
