namespace BpfSharp.Isa;

/// <summary>Builders for single instructions, named after their operation, for hosts and tests that write programs
/// in C#: <c>Asm.Mov64(Register.R0, 0xcafe)</c> is <c>b7 00 00 00 fe ca 00 00</c>.</summary>
public static class Asm
{
    /// <summary>An ALU or ALU64 operation with an immediate operand.</summary>
    public static Instruction Alu(Opcode op, Register dst, int imm, short offset = 0) => new(op, dst, Register.R0, offset, imm);

    /// <summary>An ALU or ALU64 operation with a register operand.</summary>
    public static Instruction Alu(Opcode op, Register dst, Register src, short offset = 0) => new(op, dst, src, offset, 0);

    /// <summary><c>dst = imm</c> (64-bit, sign-extended).</summary>
    public static Instruction Mov64(Register dst, int imm) => Alu(Opcode.Mov64Imm, dst, imm);

    /// <summary><c>dst = src</c> (64-bit).</summary>
    public static Instruction Mov64(Register dst, Register src) => Alu(Opcode.Mov64Reg, dst, src);

    /// <summary><c>wdst = imm</c> (32-bit, upper half cleared).</summary>
    public static Instruction Mov32(Register dst, int imm) => Alu(Opcode.Mov32Imm, dst, imm);

    /// <summary><c>dst += imm</c> (64-bit).</summary>
    public static Instruction Add64(Register dst, int imm) => Alu(Opcode.Add64Imm, dst, imm);

    /// <summary><c>dst = imm64</c>: both slots of <c>lddw</c>.</summary>
    public static Instruction[] LoadImm64(Register dst, ulong imm, byte pseudoSource = 0) =>
    [
        new(Opcode.Lddw, dst, (Register)pseudoSource, 0, (int)(uint)imm),
        new(Opcode.Invalid, Register.R0, Register.R0, 0, (int)(uint)(imm >> 32)),
    ];

    /// <summary>A load <c>dst = *(size *)(src + offset)</c>; <paramref name="op"/> picks size and sign extension.</summary>
    public static Instruction Load(Opcode op, Register dst, Register src, short offset) => new(op, dst, src, offset, 0);

    /// <summary>A store of a register <c>*(size *)(dst + offset) = src</c>.</summary>
    public static Instruction Store(Opcode op, Register dst, short offset, Register src) => new(op, dst, src, offset, 0);

    /// <summary>A store of an immediate <c>*(size *)(dst + offset) = imm</c>.</summary>
    public static Instruction Store(Opcode op, Register dst, short offset, int imm) => new(op, dst, Register.R0, offset, imm);

    /// <summary>An atomic operation (imm = BPF_ADD, BPF_OR ... | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG).</summary>
    public static Instruction Atomic(Opcode op, Register dst, short offset, Register src, int operation) => new(op, dst, src, offset, operation);

    /// <summary>A conditional jump comparing with an immediate.</summary>
    public static Instruction Jump(Opcode op, Register dst, int imm, short offset) => new(op, dst, Register.R0, offset, imm);

    /// <summary>A conditional jump comparing two registers.</summary>
    public static Instruction Jump(Opcode op, Register dst, Register src, short offset) => new(op, dst, src, offset, 0);

    /// <summary><c>goto +offset</c>.</summary>
    public static Instruction Ja(short offset) => new(Opcode.Ja, Register.R0, Register.R0, offset, 0);

    /// <summary><c>call id</c>: a helper by its kernel id.</summary>
    public static Instruction CallHelper(int id) => new(Opcode.Call, Register.R0, Register.R0, 0, id);

    /// <summary><c>call pc+offset</c>: a BPF-to-BPF call, relative to the next instruction.</summary>
    public static Instruction CallLocal(int offset) => new(Opcode.Call, Register.R0, (Register)Bpf.PSEUDO_CALL, 0, offset);

    /// <summary><c>exit</c>.</summary>
    public static Instruction Exit() => new(Opcode.Exit, Register.R0, Register.R0, 0, 0);
}
