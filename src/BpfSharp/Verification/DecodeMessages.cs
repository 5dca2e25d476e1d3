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
