namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>What one statement assembles to: one slot, or two for <c>lddw</c>, and the label its jump or local call
/// targets when the target is not a number (patched once every label is known).</summary>
internal readonly record struct Encoded(Instruction First, Instruction? Second = null, string? Label = null)
{
    public int Slots => Second is null ? 1 : 2;

    /// <summary>Whether a resolved label goes to imm (gotol, local call, a function's address in lddw) rather than the
    /// 16-bit offset.</summary>
    public static bool TargetsImm(Instruction insn) => insn.Opcode is Opcode.Call or Opcode.Ja32 or Opcode.Lddw;
}
