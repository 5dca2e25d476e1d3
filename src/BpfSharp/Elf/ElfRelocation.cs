namespace BpfSharp.Elf;

/// <summary>One relocation entry: patch the bytes at <see cref="Offset"/> in the target section with the
/// address of symbol <see cref="SymbolIndex"/>, as <see cref="Type"/> says.</summary>
/// <param name="Offset">Byte offset of the patched location in the target section (checked to lie inside it).</param>
/// <param name="SymbolIndex">Index into <see cref="ObjectFile.Symbols"/> (checked).</param>
/// <param name="Type">What to patch and how.</param>
/// <param name="Addend">The explicit addend of an <c>SHT_RELA</c> entry; 0 for <c>SHT_REL</c>, where the addend is
/// the patched bytes' current value.</param>
internal readonly record struct ElfRelocation(long Offset, int SymbolIndex, ElfRelocationType Type, long Addend)
{
    /// <summary>Bytes the relocation patches, from <see cref="Offset"/>: a whole <c>lddw</c> for
    /// <c>R_BPF_64_64</c>, one instruction for <c>R_BPF_64_32</c>, else the data width.</summary>
    public int Width => WidthOf(Type);

    internal static int WidthOf(ElfRelocationType type) => type switch
    {
        ElfRelocationType.Bpf64_64 => 16,
        ElfRelocationType.Bpf64Abs64 or ElfRelocationType.Bpf64_32 => 8,
        ElfRelocationType.Bpf64Abs32 or ElfRelocationType.Bpf64NoDyld32 => 4,
        _ => 0,
    };
}
