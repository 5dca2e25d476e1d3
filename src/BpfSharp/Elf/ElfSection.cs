namespace BpfSharp.Elf;

/// <summary>One section of an object: its header fields and its bytes. Offsets and sizes have been checked
/// against the file, so <see cref="Data"/> is exactly <see cref="Size"/> bytes unless the section is
/// <see cref="ElfSectionType.NoBits"/>.</summary>
internal sealed class ElfSection
{
    internal ElfSection(int index, string name, ElfSectionType type, ElfSectionFlags flags, long fileOffset, long size,
        int link, uint info, ulong alignment, ulong entrySize, ReadOnlyMemory<byte> data)
    {
        Index = index;
        Name = name;
        Type = type;
        Flags = flags;
        FileOffset = fileOffset;
        Size = size;
        Link = link;
        Info = info;
        Alignment = alignment;
        EntrySize = entrySize;
        Data = data;
    }

    /// <summary>Position in the section header table.</summary>
    public int Index { get; }

    /// <summary>The name from the section-name string table, e.g. <c>tc</c>, <c>.text</c>, <c>.reltc</c>.</summary>
    public string Name { get; }

    /// <summary><c>sh_type</c>; values outside the enum are kept as they are.</summary>
    public ElfSectionType Type { get; }

    /// <summary><c>sh_flags</c>.</summary>
    public ElfSectionFlags Flags { get; }

    /// <summary><c>sh_offset</c>: where the bytes start in the file.</summary>
    public long FileOffset { get; }

    /// <summary><c>sh_size</c> in bytes (for <see cref="ElfSectionType.NoBits"/>, the size at run time).</summary>
    public long Size { get; }

    /// <summary><c>sh_link</c>: for symbol tables their string table, for relocations their symbol table.</summary>
    public int Link { get; }

    /// <summary><c>sh_info</c>: for relocations the section they patch; for the symbol table the index of the
    /// first non-local symbol.</summary>
    public uint Info { get; }

    /// <summary><c>sh_addralign</c> (0 or a power of two).</summary>
    public ulong Alignment { get; }

    /// <summary><c>sh_entsize</c>: the size of one entry for tables, else 0.</summary>
    public ulong EntrySize { get; }

    /// <summary>The section's bytes in the file (empty for <see cref="ElfSectionType.NoBits"/>).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the section holds instructions (<c>SHF_EXECINSTR</c>).</summary>
    public bool IsExecutable => (Flags & ElfSectionFlags.ExecInstr) != 0;

    /// <summary>Whether the section's bytes are stored in the file (not <c>SHT_NULL</c> or <c>SHT_NOBITS</c>).</summary>
    public bool HasFileData => Type is not (ElfSectionType.Null or ElfSectionType.NoBits);

    /// <summary>The relocations of a <see cref="ElfSectionType.Rel"/> or <see cref="ElfSectionType.Rela"/>
    /// section (checked against the symbol table and the target section), else empty.</summary>
    public IReadOnlyList<ElfRelocation> Relocations { get; internal set; } = Array.Empty<ElfRelocation>();

    /// <inheritdoc/>
    public override string ToString() => $"[{Index}] {Name} ({Type}, {Size} bytes)";
}
