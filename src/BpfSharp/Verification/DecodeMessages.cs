using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>The kernel's words for an instruction that does not decode (<c>check_reg_arg</c>, the "uses reserved
/// fields" checks of <c>do_check</c>), so that the verifier's first finding reads as the kernel's would.</summary>
internal static class DecodeMessages
{
    public static string For(Instruction insn, DecodeError error)
    {
        var cls = insn.Class;
        var op = Bpf.Op((byte)insn.Opcode);
        return error switch
        {
            DecodeError.UnknownOpcode => $"unknown opcode {(byte)insn.Opcode:x2}",
            DecodeError.InvalidRegister => $"R{((int)insn.Dst > 10 ? (int)insn.Dst : (int)insn.Src)} is invalid",
            DecodeError.FramePointerWrite => "frame pointer is read only",
            DecodeError.TruncatedLddw or DecodeError.InvalidLddwSecondSlot => "invalid BPF_LD_IMM insn",
            DecodeError.InvalidImmediate when insn.Opcode is Opcode.AtomicW or Opcode.AtomicDw => $"BPF_ATOMIC uses invalid atomic opcode {insn.Imm:x2}",
            // check_atomic_rmw's first test, for an arithmetic atomic of 8 or 16 bits.
            DecodeError.InvalidImmediate when insn.Opcode is Opcode.AtomicB or Opcode.AtomicH && (insn.Imm & ~Bpf.FETCH) is
                Bpf.ADD or Bpf.OR or Bpf.AND or Bpf.XOR or (Bpf.XCHG & ~Bpf.FETCH) or (Bpf.CMPXCHG & ~Bpf.FETCH) => "invalid atomic operand size",
            DecodeError.InvalidImmediate when insn.Opcode is Opcode.AtomicB or Opcode.AtomicH => $"BPF_ATOMIC uses invalid atomic opcode {insn.Imm:x2}",
            DecodeError.ReservedFieldNotZero when insn.Opcode == Opcode.MayGoto => $"invalid may_goto imm {insn.Imm}",
            _ => cls switch
            {
                Bpf.ALU or Bpf.ALU64 => op switch
                {
                    Bpf.MOV => "BPF_MOV uses reserved fields",
                    Bpf.NEG => "BPF_NEG uses reserved fields",
                    Bpf.END => "BPF_END uses reserved fields",
                    _ => "BPF_ALU uses reserved fields",
                },
                Bpf.JMP or Bpf.JMP32 => insn.Opcode switch
                {
                    Opcode.Ja or Opcode.Ja32 => "BPF_JA uses reserved fields",
                    Opcode.Call => "BPF_CALL uses reserved fields",
                    Opcode.Exit => "BPF_EXIT uses reserved fields",
                    _ => "BPF_JMP/JMP32 uses reserved fields",
                },
                Bpf.LDX => "BPF_LDX uses reserved fields",
                Bpf.ST => "BPF_ST uses reserved fields",
                Bpf.STX => "BPF_STX uses reserved fields",
                _ => "BPF_LD uses reserved fields",
            },
        };
    }
}
