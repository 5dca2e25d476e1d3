namespace BpfSharp.Isa;

/// <summary>A name at a byte offset of the code being disassembled. The object layer decides which symbols are data
/// (llvm-objdump dumps a chunk whose symbols are all data as bytes) and sorts them; the disassembler knows
/// nothing of ELF.</summary>
internal readonly record struct DisassemblySymbol(ulong Address, string Name, bool IsData);
