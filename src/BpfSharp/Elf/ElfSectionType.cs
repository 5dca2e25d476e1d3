namespace BpfSharp.Elf;

/// <summary>An ELF section's <c>sh_type</c>, with the values BPF objects use (elf.h spellings in the docs).</summary>
internal enum ElfSectionType : uint
{
    /// <summary><c>SHT_NULL</c>: the unused entry at index 0.</summary>
    Null = 0,
    /// <summary><c>SHT_PROGBITS</c>: code or data stored in the file.</summary>
    ProgBits = 1,
    /// <summary><c>SHT_SYMTAB</c>: the symbol table.</summary>
    SymbolTable = 2,
    /// <summary><c>SHT_STRTAB</c>: a string table.</summary>
    StringTable = 3,
    /// <summary><c>SHT_RELA</c>: relocations with explicit addends.</summary>
    Rela = 4,
    /// <summary><c>SHT_NOTE</c>.</summary>
    Note = 7,
    /// <summary><c>SHT_NOBITS</c>: zero-initialised data that takes no space in the file (<c>.bss</c>).</summary>
    NoBits = 8,
    /// <summary><c>SHT_REL</c>: relocations whose addend is in the patched bytes.</summary>
    Rel = 9,
    /// <summary><c>SHT_LLVM_ADDRSIG</c>: the address-significance table clang emits.</summary>
    LlvmAddrsig = 0x6fff4c03,
}
