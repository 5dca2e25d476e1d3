namespace BpfSharp.Elf;

/// <summary>The binding half of a symbol's <c>st_info</c> (<c>STB_*</c>).</summary>
internal enum ElfSymbolBinding : byte
{
    /// <summary><c>STB_LOCAL</c>: <c>static</c> functions and variables, labels.</summary>
    Local = 0,
    /// <summary><c>STB_GLOBAL</c>.</summary>
    Global = 1,
    /// <summary><c>STB_WEAK</c>.</summary>
    Weak = 2,
}
