using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Elf;

/// <summary>A fixture's bytes to corrupt by hand, with the offsets of its ELF structures found from the intact copy.</summary>
internal sealed class ElfPatch
{
    public byte[] Bytes { get; }
    public ObjectFile Original { get; }

    public ElfPatch(string fixture)
    {
        Bytes = Fixtures.Bytes(fixture);
        Original = ObjectFile.Read(Bytes);
    }

    public long SectionHeaderTable => (long)BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(40));

    /// <summary>File offset of a section's 64-byte header.</summary>
    public long Header(string section) => SectionHeaderTable + 64L * Section(section).Index;

    public ElfSection Section(string name) => Original.FindSection(name) ?? throw new InvalidOperationException(name);

    /// <summary>File offset of symbol <paramref name="name"/>'s 24-byte entry.</summary>
    public long Symbol(string name) =>
        Original.SymbolTable!.FileOffset + 24L * Original.Symbols.Single(s => s.Name == name).Index;

    public ElfPatch U8(long at, byte value) { Bytes[at] = value; return this; }
    public ElfPatch U16(long at, ushort value) { BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan((int)at), value); return this; }
    public ElfPatch U32(long at, uint value) { BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan((int)at), value); return this; }
    public ElfPatch U64(long at, ulong value) { BinaryPrimitives.WriteUInt64LittleEndian(Bytes.AsSpan((int)at), value); return this; }

    public ObjectFormatException Fails() => Assert.Throws<ObjectFormatException>(() => ObjectFile.Read(Bytes));
}
