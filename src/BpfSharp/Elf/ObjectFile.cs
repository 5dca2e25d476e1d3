namespace BpfSharp.Elf;

/// <summary>A parsed ELF64 little-endian relocatable object for <c>EM_BPF</c>, as clang <c>-target bpf</c> writes
/// it: sections, the symbol table and relocations, all checked against the file. Reading is deterministic:
/// it depends on the bytes only, never on the host.</summary>
internal sealed class ObjectFile
{
    readonly ElfSection[] sections;
    readonly ElfSymbol[] symbols;

    internal ObjectFile(ElfSection[] sections, ElfSymbol[] symbols, ElfSection? symbolTable)
    {
        this.sections = sections;
        this.symbols = symbols;
        SymbolTable = symbolTable;
    }

    /// <summary>Every section in header order; index 0 is the <c>SHT_NULL</c> entry.</summary>
    public IReadOnlyList<ElfSection> Sections => sections;

    /// <summary>The symbol table's entries in order (index 0 is the null symbol), or empty without one.</summary>
    public IReadOnlyList<ElfSymbol> Symbols => symbols;

    /// <summary>The <c>SHT_SYMTAB</c> section, if the object has one.</summary>
    public ElfSection? SymbolTable { get; }

    /// <summary>Parses an object; throws <see cref="ObjectFormatException"/> (with the section and file offset)
    /// for anything malformed. The bytes are copied.</summary>
    public static ObjectFile Read(ReadOnlySpan<byte> bytes) => new ElfParser(bytes.ToArray()).Parse();

    /// <summary>Reads and parses an object file; I/O errors propagate as they are.</summary>
    public static ObjectFile Read(string path) => new ElfParser(File.ReadAllBytes(path)).Parse();

    /// <summary>Whether <paramref name="bytes"/> start with the ELF magic number.</summary>
    public static bool HasElfMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(ElfFormat.Magic);

    /// <summary>The first section with this name, or null.</summary>
    public ElfSection? FindSection(string name) => sections.FirstOrDefault(s => s.Name == name);

    /// <summary>The section at a header index, or null when the index is out of range.</summary>
    public ElfSection? FindSection(int index) => (uint)index < (uint)sections.Length ? sections[index] : null;

    /// <summary>The symbols defined in a section, in symbol-table order.</summary>
    public IEnumerable<ElfSymbol> SymbolsIn(ElfSection section) => symbols.Where(s => s.SectionIndex == section.Index);

    /// <summary>The <c>SHT_REL</c> and <c>SHT_RELA</c> sections that patch a section (by <c>sh_info</c>, which for
    /// clang's output means <c>.rel</c> + the name, e.g. <c>.reltc</c>).</summary>
    public IEnumerable<ElfSection> RelocationSectionsFor(ElfSection target) =>
        sections.Where(s => s.Type is ElfSectionType.Rel or ElfSectionType.Rela && s.Info == (uint)target.Index);

    /// <summary>All relocations that patch a section, from every relocation section that targets it.</summary>
    public IEnumerable<ElfRelocation> RelocationsFor(ElfSection target) =>
        RelocationSectionsFor(target).SelectMany(s => s.Relocations);
}
