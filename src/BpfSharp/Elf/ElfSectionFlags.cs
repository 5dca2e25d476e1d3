namespace BpfSharp.Elf;

/// <summary>An ELF section's <c>sh_flags</c>.</summary>
[Flags]
internal enum ElfSectionFlags : ulong
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary><c>SHF_WRITE</c>: writable at run time (<c>.data</c>, <c>.bss</c>).</summary>
    Write = 0x1,
    /// <summary><c>SHF_ALLOC</c>: occupies memory at run time.</summary>
    Alloc = 0x2,
    /// <summary><c>SHF_EXECINSTR</c>: holds instructions (programs and subprograms).</summary>
    ExecInstr = 0x4,
    /// <summary><c>SHF_MERGE</c>.</summary>
    Merge = 0x10,
    /// <summary><c>SHF_STRINGS</c>.</summary>
    Strings = 0x20,
    /// <summary><c>SHF_INFO_LINK</c>: <c>sh_info</c> holds a section index.</summary>
    InfoLink = 0x40,
    /// <summary><c>SHF_EXCLUDE</c>: dropped by linkers (<c>.llvm_addrsig</c>).</summary>
    Exclude = 0x8000_0000,
}
