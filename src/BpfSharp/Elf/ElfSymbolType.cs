namespace BpfSharp.Elf;

/// <summary>The type half of a symbol's <c>st_info</c> (<c>STT_*</c>).</summary>
internal enum ElfSymbolType : byte
{
    /// <summary><c>STT_NOTYPE</c>: labels, externs.</summary>
    NoType = 0,
    /// <summary><c>STT_OBJECT</c>: maps, global variables, the license string.</summary>
    Object = 1,
    /// <summary><c>STT_FUNC</c>: programs and subprograms.</summary>
    Func = 2,
    /// <summary><c>STT_SECTION</c>: stands for its section, target of relocations with an addend.</summary>
    Section = 3,
    /// <summary><c>STT_FILE</c>: the source file name.</summary>
    File = 4,
    /// <summary><c>STT_COMMON</c>.</summary>
    Common = 5,
    /// <summary><c>STT_TLS</c>.</summary>
    Tls = 6,
}
