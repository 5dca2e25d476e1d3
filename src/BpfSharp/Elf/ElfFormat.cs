namespace BpfSharp.Elf;

/// <summary>ELF64 layout facts (System V gABI, elf.h) the reader needs, with elf.h's names.</summary>
internal static class ElfFormat
{
    public const int IdentSize = 16, HeaderSize = 64, SectionHeaderSize = 64, SymbolSize = 24, RelSize = 16, RelaSize = 24;
    public const byte ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1, ELFDATA2MSB = 2, EV_CURRENT = 1;
    public const ushort ET_REL = 1, EM_BPF = 247;
    public const int SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2, SHN_XINDEX = 0xffff;

    public static ReadOnlySpan<byte> Magic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>How an error names a machine: the elf.h constant for the common ones, else the number.</summary>
    public static string MachineName(ushort machine) => machine switch
    {
        0 => "EM_NONE (0)",
        3 => "EM_386 (3)",
        8 => "EM_MIPS (8)",
        20 => "EM_PPC (20)",
        21 => "EM_PPC64 (21)",
        22 => "EM_S390 (22)",
        40 => "EM_ARM (40)",
        62 => "EM_X86_64 (62)",
        183 => "EM_AARCH64 (183)",
        243 => "EM_RISCV (243)",
        247 => "EM_BPF (247)",
        258 => "EM_LOONGARCH (258)",
        _ => $"machine {machine}",
    };

    public static string ObjectTypeName(ushort type) => type switch
    {
        0 => "ET_NONE",
        1 => "ET_REL",
        2 => "ET_EXEC",
        3 => "ET_DYN",
        4 => "ET_CORE",
        _ => $"type {type}",
    };
}
