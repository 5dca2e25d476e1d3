namespace BpfSharp.Elf;

/// <summary>BPF relocation types (<c>R_BPF_*</c> in LLVM's ELFRelocs/BPF.def and the kernel's
/// Documentation/bpf/llvm_reloc.rst).</summary>
internal enum ElfRelocationType : uint
{
    /// <summary><c>R_BPF_NONE</c>.</summary>
    None = 0,
    /// <summary><c>R_BPF_64_64</c>: a <c>lddw</c> whose two immediates receive a map or global-data address.</summary>
    Bpf64_64 = 1,
    /// <summary><c>R_BPF_64_ABS64</c>: 8 bytes of data receive an address (<c>.maps</c> pointers, DWARF).</summary>
    Bpf64Abs64 = 2,
    /// <summary><c>R_BPF_64_ABS32</c>: 4 bytes of data receive an address (DWARF, <c>.BTF</c>).</summary>
    Bpf64Abs32 = 3,
    /// <summary><c>R_BPF_64_NODYLD32</c>: 4 bytes in <c>.BTF.ext</c> that the loader does not patch.</summary>
    Bpf64NoDyld32 = 4,
    /// <summary><c>R_BPF_64_32</c>: a <c>call</c> whose immediate receives the callee's instruction offset.</summary>
    Bpf64_32 = 10,
}
