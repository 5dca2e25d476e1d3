using BpfSharp.Verification;
using BpfSharp.Btf;

namespace BpfSharp;

/// <summary>One finding of the verifier, located and explained: the instruction (index and llvm-objdump text), its
/// source line from BTF line info when the object has it, the registers the finding is about, the kernel's words for
/// it, and a sentence saying what is wrong and how programs usually fix it.</summary>
public sealed record Diagnostic(
    int InstructionIndex,
    string Disassembly,
    LineInfo? Source,
    string Registers,
    string KernelMessage,
    string Explanation)
{
    /// <summary>"insn 7 (prog.c:42:9): r0 = *(u64 *)(r0 + 0x0): R0 invalid mem access 'map_value_or_null'".</summary>
    public override string ToString() =>
        $"insn {InstructionIndex}{(Source is null ? "" : $" ({Source.Location})")}: {Disassembly}: {KernelMessage}";
}
