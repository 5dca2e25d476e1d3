using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Elf;

/// <summary>Reads and checks an ELF64 object. Every offset, size and index read from the file is checked before it
/// is used, with unsigned 64-bit comparisons that cannot overflow, so the only exception that can escape is
/// <see cref="ObjectFormatException"/>.</summary>
internal sealed class ElfParser(byte[] file)
{
    readonly record struct RawSection(uint NameOffset, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link,
        uint Info, ulong Alignment, ulong EntrySize);

    RawSection[] raw = [];
    string[] names = [];
    long tableOffset;

    public ObjectFile Parse()
    {
        CheckIdentity();
        var count = ReadSectionTable();
        var stringTable = SectionNameTable(count);
        names = new string[count];
        for (var i = 0; i < count; i++)
            names[i] = ReadString(stringTable, raw[i].NameOffset, $"section #{i}'s name", null, HeaderOffset(i));
        var sections = new ElfSection[count];
        for (var i = 0; i < count; i++)
            sections[i] = CheckSection(i);
        CheckOverlaps(sections);
        var symbolTable = FindSymbolTable(sections);
        var symbols = symbolTable is null ? [] : ReadSymbols(sections, symbolTable);
        foreach (var section in sections)
            if (section.Type is ElfSectionType.Rel or ElfSectionType.Rela)
                section.Relocations = ReadRelocations(sections, section, symbolTable, symbols.Length);
        return new ObjectFile(sections, symbols, symbolTable);
    }

    static ObjectFormatException Error(string message, string? section = null, long offset = -1) =>
        new(message, section, offset);

    ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)at, 2));
    uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at, 4));
    ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan((int)at, 8));

    /// <summary>Whether [offset, offset + size) lies inside the file; written so that no sum can overflow.</summary>
    bool InFile(ulong offset, ulong size) => offset <= (ulong)file.Length && size <= (ulong)file.Length - offset;

    void CheckIdentity()
    {
        if (file.Length < ElfFormat.Magic.Length || !ObjectFile.HasElfMagic(file))
            throw Error($"not an ELF file: it starts with {Hex(file.AsSpan(0, Math.Min(4, file.Length)))}, not 7f 45 4c 46",
                offset: 0);
        if (file.Length < ElfFormat.HeaderSize)
            throw Error($"the file is {file.Length} bytes, too short for the 64-byte ELF64 header", offset: 0);
        if (file[4] != ElfFormat.ELFCLASS64)
            throw Error(file[4] == ElfFormat.ELFCLASS32
                ? "ELFCLASS32 object: BPF objects are ELFCLASS64"
                : $"EI_CLASS is {file[4]}, not ELFCLASS64 (2)", offset: 4);
        if (file[5] != ElfFormat.ELFDATA2LSB)
            throw Error(file[5] == ElfFormat.ELFDATA2MSB
                ? "big-endian object (ELFDATA2MSB, clang -target bpfeb): only little-endian BPF (bpfel) is supported"
                : $"EI_DATA is {file[5]}, not ELFDATA2LSB (1)", offset: 5);
        if (file[6] != ElfFormat.EV_CURRENT)
            throw Error($"EI_VERSION is {file[6]}, not EV_CURRENT (1)", offset: 6);
        var type = U16(16);
        if (type != ElfFormat.ET_REL)
            throw Error($"{ElfFormat.ObjectTypeName(type)} object: expected a relocatable object (ET_REL) as clang -c writes",
                offset: 16);
        var machine = U16(18);
        if (machine != ElfFormat.EM_BPF)
            throw Error($"object is for {ElfFormat.MachineName(machine)}, not EM_BPF (247): compile with clang -target bpf",
                offset: 18);
        if (U32(20) != ElfFormat.EV_CURRENT)
            throw Error($"e_version is {U32(20)}, not EV_CURRENT (1)", offset: 20);
    }

    /// <summary>Reads the section header table; returns the section count (handling the extended numbering where
    /// e_shnum is 0 and section 0's sh_size holds the count).</summary>
    int ReadSectionTable()
    {
        var shoff = U64(40);
        var entrySize = U16(58);
        ulong count = U16(60);
        if (shoff == 0)
            throw Error("the object has no section header table (e_shoff is 0)", offset: 40);
        if (entrySize != ElfFormat.SectionHeaderSize)
            throw Error($"e_shentsize is {entrySize}, not {ElfFormat.SectionHeaderSize}", offset: 58);
        if (!InFile(shoff, ElfFormat.SectionHeaderSize))
            throw Error($"the section header table at e_shoff 0x{shoff:x} is outside the {file.Length}-byte file", offset: 40);
        tableOffset = (long)shoff;
        if (count == 0)
        {
            count = U64(tableOffset + 32);
            if (count == 0)
                throw Error("the object has no sections (e_shnum and section 0's sh_size are 0)", offset: 60);
        }
        // The comparison with Length / 64 rejects huge counts before the multiplication could overflow.
        if (count > (ulong)file.Length / ElfFormat.SectionHeaderSize || !InFile(shoff, count * ElfFormat.SectionHeaderSize))
            throw Error($"the section header table ({count} entries of 64 bytes at 0x{shoff:x}) runs past the end of the " +
                        $"{file.Length}-byte file", offset: tableOffset);
        raw = new RawSection[count];
        for (var i = 0; i < raw.Length; i++)
        {
            var at = tableOffset + (long)i * ElfFormat.SectionHeaderSize;
            raw[i] = new RawSection(U32(at), U32(at + 4), U64(at + 8), U64(at + 24), U64(at + 32), U32(at + 40),
                U32(at + 44), U64(at + 48), U64(at + 56));
        }
        return raw.Length;
    }

    long HeaderOffset(int index) => tableOffset + (long)index * ElfFormat.SectionHeaderSize;

    ReadOnlySpan<byte> SectionNameTable(int count)
    {
        int index = U16(62);
        if (index == ElfFormat.SHN_XINDEX)
            index = (int)Math.Min(raw[0].Link, int.MaxValue);
        if (index == ElfFormat.SHN_UNDEF || index >= count)
            throw Error($"e_shstrndx {index} does not name a section (the object has {count})", offset: 62);
        var s = raw[index];
        if (s.Type != (uint)ElfSectionType.StringTable)
            throw Error($"section #{index}, named by e_shstrndx, is not a string table (type {s.Type})",
                offset: HeaderOffset(index));
        if (!InFile(s.Offset, s.Size))
            throw Error($"the section-name string table (0x{s.Size:x} bytes at 0x{s.Offset:x}) is outside the " +
                        $"{file.Length}-byte file", offset: HeaderOffset(index));
        return file.AsSpan((int)s.Offset, (int)s.Size);
    }

    /// <summary>A NUL-terminated string from a string table; <paramref name="section"/> and <paramref name="where"/>
    /// locate the entry that refers to it.</summary>
    static string ReadString(ReadOnlySpan<byte> table, ulong offset, string what, string? section, long where)
    {
        if (offset >= (ulong)table.Length)
            throw Error($"{what} at string-table offset 0x{offset:x} is beyond the table's {table.Length} bytes", section, where);
        var rest = table[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
            throw Error($"{what} at string-table offset 0x{offset:x} runs off the end of the table (no NUL)", section, where);
        return Encoding.UTF8.GetString(rest[..end]);
    }

    ElfSection CheckSection(int i)
    {
        var s = raw[i];
        var name = names[i];
        var type = (ElfSectionType)s.Type;
        if (i == 0 || type == ElfSectionType.Null)
            return new ElfSection(i, name, type, (ElfSectionFlags)s.Flags, 0, 0, 0, s.Info, 0, 0, ReadOnlyMemory<byte>.Empty);
        var at = HeaderOffset(i);
        if (s.Alignment != 0 && (s.Alignment & (s.Alignment - 1)) != 0)
            throw Error($"sh_addralign {s.Alignment} is not a power of two", name, at);
        if (s.Link >= raw.Length)
            throw Error($"sh_link {s.Link} does not name a section (the object has {raw.Length})", name, at);
        if (type == ElfSectionType.NoBits)
        {
            // .bss takes no file space, but its size still reaches the loader: refuse sizes no memory could hold.
            if (s.Size > int.MaxValue)
                throw Error($"SHT_NOBITS size 0x{s.Size:x} is too large", name, at);
            return new ElfSection(i, name, type, (ElfSectionFlags)s.Flags, (long)Math.Min(s.Offset, long.MaxValue),
                (long)s.Size, (int)s.Link, s.Info, s.Alignment, s.EntrySize, ReadOnlyMemory<byte>.Empty);
        }
        if (!InFile(s.Offset, s.Size))
            throw Error($"section data (0x{s.Size:x} bytes at file offset 0x{s.Offset:x}) is outside the {file.Length}-byte file",
                name, at);
        return new ElfSection(i, name, type, (ElfSectionFlags)s.Flags, (long)s.Offset, (long)s.Size, (int)s.Link, s.Info,
            s.Alignment, s.EntrySize, new ReadOnlyMemory<byte>(file, (int)s.Offset, (int)s.Size));
    }

    readonly record struct Extent(long Start, long End, string What, ElfSection? Section);

    /// <summary>Sections that occupy file space must not share bytes with each other, the ELF header or the section
    /// header table: overlapping data means a corrupt or hostile file.</summary>
    void CheckOverlaps(ElfSection[] sections)
    {
        var extents = sections.Where(s => s.HasFileData && s.Size > 0)
            .Select(s => new Extent(s.FileOffset, s.FileOffset + s.Size, $"section {s.Name}", s))
            .Append(new Extent(0, ElfFormat.HeaderSize, "the ELF header", null))
            .Append(new Extent(tableOffset, tableOffset + (long)raw.Length * ElfFormat.SectionHeaderSize,
                "the section header table", null))
            .OrderBy(e => e.Start).ThenBy(e => e.End)
            .ToArray();
        for (var i = 1; i < extents.Length; i++)
        {
            var (a, b) = (extents[i - 1], extents[i]);
            if (b.Start < a.End)
            {
                var (culprit, other) = b.Section is not null ? (b, a) : (a, b);
                throw Error($"{culprit.What} (file offsets 0x{culprit.Start:x}-0x{culprit.End:x}) overlaps {other.What} " +
                            $"(0x{other.Start:x}-0x{other.End:x})", culprit.Section?.Name, culprit.Start);
            }
        }
    }

    ElfSection? FindSymbolTable(ElfSection[] sections)
    {
        var tables = sections.Where(s => s.Type == ElfSectionType.SymbolTable).ToArray();
        if (tables.Length > 1)
            throw Error($"the object has {tables.Length} symbol tables (SHT_SYMTAB); ELF allows one", tables[1].Name,
                HeaderOffset(tables[1].Index));
        return tables.FirstOrDefault();
    }

    ElfSymbol[] ReadSymbols(ElfSection[] sections, ElfSection table)
    {
        var at = HeaderOffset(table.Index);
        if (table.EntrySize != ElfFormat.SymbolSize)
            throw Error($"symbol table sh_entsize is {table.EntrySize}, not {ElfFormat.SymbolSize}", table.Name, at);
        if (table.Size % ElfFormat.SymbolSize != 0)
            throw Error($"symbol table size {table.Size} is not a multiple of {ElfFormat.SymbolSize}", table.Name, at);
        var strings = sections[table.Link];
        if (strings.Type != ElfSectionType.StringTable)
            throw Error($"sh_link {table.Link} names {strings.Name}, which is not a string table", table.Name, at);
        var count = (int)(table.Size / ElfFormat.SymbolSize);
        if (table.Info > (uint)count)
            throw Error($"sh_info {table.Info} (first global symbol) is beyond the {count} symbols", table.Name, at);
        var symbols = new ElfSymbol[count];
        for (var i = 0; i < count; i++)
        {
            var entry = table.Data.Span.Slice(i * ElfFormat.SymbolSize, ElfFormat.SymbolSize);
            var where = table.FileOffset + (long)i * ElfFormat.SymbolSize;
            var name = ReadString(strings.Data.Span, BinaryPrimitives.ReadUInt32LittleEndian(entry),
                $"symbol {i}'s name (in {strings.Name})", table.Name, where);
            int shndx = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
            if (shndx == ElfFormat.SHN_XINDEX)
                throw Error($"symbol {i} ({name}) uses an extended section index (SHN_XINDEX), which BPF objects never need",
                    table.Name, where);
            if (shndx is > ElfFormat.SHN_UNDEF and < ElfFormat.SHN_LORESERVE && shndx >= sections.Length)
                throw Error($"symbol {i} ({name}) is in section {shndx}, but the object has {sections.Length}", table.Name, where);
            if (shndx >= ElfFormat.SHN_LORESERVE && shndx is not (ElfFormat.SHN_ABS or ElfFormat.SHN_COMMON))
                throw Error($"symbol {i} ({name}) has reserved section index 0x{shndx:x}", table.Name, where);
            var info = entry[4];
            symbols[i] = new ElfSymbol(i, name, BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]), (ElfSymbolType)(info & 0xf), (ElfSymbolBinding)(info >> 4),
                entry[5], shndx);
        }
        return symbols;
    }

    ElfRelocation[] ReadRelocations(ElfSection[] sections, ElfSection rel, ElfSection? symbolTable, int symbolCount)
    {
        var at = HeaderOffset(rel.Index);
        var rela = rel.Type == ElfSectionType.Rela;
        var size = rela ? ElfFormat.RelaSize : ElfFormat.RelSize;
        if (rel.EntrySize != (ulong)size)
            throw Error($"sh_entsize is {rel.EntrySize}, not {size}", rel.Name, at);
        if (rel.Size % size != 0)
            throw Error($"size {rel.Size} is not a multiple of {size}", rel.Name, at);
        if (symbolTable is null || rel.Link != symbolTable.Index)
            throw Error($"sh_link {rel.Link} is not the symbol table", rel.Name, at);
        if (rel.Info == 0 || rel.Info >= (uint)sections.Length)
            throw Error($"sh_info {rel.Info} does not name a section to relocate", rel.Name, at);
        var target = sections[rel.Info];
        var relocations = new ElfRelocation[rel.Size / size];
        for (var i = 0; i < relocations.Length; i++)
        {
            var entry = rel.Data.Span.Slice(i * size, size);
            var where = rel.FileOffset + (long)i * size;
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(entry);
            var info = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            var symbol = info >> 32;
            var type = (ElfRelocationType)(uint)info;
            if (!Enum.IsDefined(type))
                throw Error($"relocation {i} has unknown type {(uint)type} (R_BPF_* are 0-4 and 10)", rel.Name, where);
            if (symbol >= (ulong)symbolCount)
                throw Error($"relocation {i} refers to symbol {symbol}, but the symbol table has {symbolCount}", rel.Name, where);
            var width = (ulong)ElfRelocation.WidthOf(type);
            if (!target.HasFileData || offset > (ulong)target.Size || width > (ulong)target.Size - offset)
                throw Error($"relocation {i} ({type}, {width} bytes at offset 0x{offset:x}) is outside section {target.Name} " +
                            $"({(target.HasFileData ? target.Size : 0)} bytes in the file)", rel.Name, where);
            relocations[i] = new ElfRelocation((long)offset, (int)symbol, type,
                rela ? BinaryPrimitives.ReadInt64LittleEndian(entry[16..]) : 0);
        }
        return relocations;
    }

    static string Hex(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? "nothing" : string.Join(" ", bytes.ToArray().Select(b => b.ToString("x2")));
}
