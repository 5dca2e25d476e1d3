namespace BpfSharp.Elf;

/// <summary>One entry of the symbol table (<c>Elf64_Sym</c>).</summary>
/// <param name="Index">Position in the symbol table; relocations refer to symbols by it.</param>
/// <param name="Name">The name, from the table's string table (empty for the null symbol).</param>
/// <param name="Value">For a defined symbol in a relocatable object: the byte offset in its section.</param>
/// <param name="Size">Size in bytes (a function's code, a map definition, a variable).</param>
/// <param name="Type">What the symbol names.</param>
/// <param name="Binding">Local, global or weak.</param>
/// <param name="Other">The raw <c>st_other</c> byte (visibility in its low bits).</param>
/// <param name="SectionIndex">The raw <c>st_shndx</c>: a section index, or one of the reserved values
/// <see cref="Undefined"/>, <see cref="Absolute"/>, <see cref="CommonIndex"/>.</param>
internal readonly record struct ElfSymbol(int Index, string Name, ulong Value, ulong Size, ElfSymbolType Type,
    ElfSymbolBinding Binding, byte Other, int SectionIndex)
{
    /// <summary><c>SHN_UNDEF</c>: defined elsewhere (externs, kfuncs).</summary>
    public const int Undefined = 0;

    /// <summary><c>SHN_ABS</c>: an absolute value, not in a section (the <c>STT_FILE</c> symbol).</summary>
    public const int Absolute = 0xfff1;

    /// <summary><c>SHN_COMMON</c>: a tentative definition not yet given a section.</summary>
    public const int CommonIndex = 0xfff2;

    /// <summary>Whether the symbol lives in one of the object's sections.</summary>
    public bool IsInSection => SectionIndex is not Undefined and < 0xff00;
}
