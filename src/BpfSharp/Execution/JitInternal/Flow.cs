using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>What an instruction does to control flow, as the interpreter runs it: where execution may continue in the
/// same function, and whether it ends a checked-mode budget block.</summary>
internal static class Flow
{
    public static bool IsLocalCall(Instruction insn) => insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL;

    public static bool IsTailCall(Instruction insn) => insn.Opcode == Opcode.Call && insn.Src == 0 && insn.Imm == (int)HelperId.TailCall;

    public static bool IsHelperCall(Instruction insn) => insn.Opcode == Opcode.Call && insn.Src == 0 && !IsTailCall(insn);

    public static bool IsKfuncCall(Instruction insn) => insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_KFUNC_CALL;

    public static bool IsPacketLoad(Opcode op) => Bpf.Class((byte)op) == Bpf.LD && op != Opcode.Lddw;

    public static bool IsJump(Opcode op) => Bpf.Class((byte)op) is Bpf.JMP or Bpf.JMP32 && op is not (Opcode.Call or Opcode.Callx or Opcode.Exit);

    public static bool IsUnconditionalJump(Opcode op) => op is Opcode.Ja or Opcode.Ja32;

    /// <summary>Loads, stores and atomics: the instructions a bounds check can stop.</summary>
    public static bool IsMemoryAccess(Opcode op) => Bpf.Class((byte)op) is Bpf.LDX or Bpf.ST or Bpf.STX;

    /// <summary>The slot a jump at <paramref name="pc"/> goes to (gotol uses imm, the others offset).</summary>
    public static int JumpTarget(Instruction insn, int pc) => pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset);

    /// <summary>The slot a local call at <paramref name="pc"/> enters.</summary>
    public static int CallTarget(Instruction insn, int pc) => pc + 1 + insn.Imm;

    /// <summary>The slot after the instruction (lddw takes two).</summary>
    public static int Next(Instruction insn, int pc) => pc + (insn.Opcode == Opcode.Lddw ? 2 : 1);

    /// <summary>Whether execution can continue with the next slot.</summary>
    public static bool FallsThrough(ReadOnlySpan<Instruction> code, Instruction insn, int pc) => insn.Opcode switch
    {
        Opcode.Exit or Opcode.Ja or Opcode.Ja32 => false,
        Opcode.Call when IsKfuncCall(insn) => Kfuncs.Find(insn.Imm) is not null,
        Opcode.Call when IsLocalCall(insn) => (uint)CallTarget(insn, pc) < (uint)code.Length,
        _ => true,
    };

    /// <summary>Whether a checked-mode budget block must end after this instruction: it jumps, calls, exits, or may
    /// fault or write memory. Everything before the last instruction of a block is then register arithmetic, so
    /// counting the block at its start cannot be told apart from counting one instruction at a time.</summary>
    public static bool EndsBlock(Opcode op) => op != Opcode.Lddw && Bpf.Class((byte)op) is not (Bpf.ALU or Bpf.ALU64);
}
