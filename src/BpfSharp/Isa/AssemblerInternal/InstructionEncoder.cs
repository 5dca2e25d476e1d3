using static BpfSharp.Isa.AssemblerInternal.Operands;

namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>Turns one statement into its slots. Field layout per RFC 9669 §3; operand forms per the upstream
/// bpf_conformance assembler (<c>lib/src/bpf_assembler.cc</c>), whose error wording we keep.</summary>
internal static class InstructionEncoder
{
    public static Encoded Encode(Statement s)
    {
        if (s.Mnemonic == "lock") return EncodeLock(s.Operands);
        var m = Mnemonics.Find(s.Mnemonic) ?? throw new SyntaxError($"Invalid mnemonic: {s.Mnemonic}");
        // call takes one operand (a helper) or two (mode and target): it checks its own count.
        if (m.Form == Form.Call) return EncodeCall(s.Operands);
        var o = s.Operands;
        if (o.Count != m.Operands)
            throw new SyntaxError($"Invalid number of operands for mnemonic: {s.Mnemonic}");

        switch (m.Form)
        {
            case Form.Alu:
                // neg has no source operand: it stays in the immediate form with imm 0.
                if (o.Count == 1) return Slot(m.Opcode, Register(o[0]), 0, m.Offset, 0);
                return IsRegister(o[1])
                    ? Slot((byte)(m.Opcode | Bpf.X), Register(o[0]), Register(o[1]), m.Offset, 0)
                    : Slot(m.Opcode, Register(o[0]), 0, m.Offset, Numbers.Imm32(o[1]));
            case Form.ByteSwap:
                return Slot(m.Opcode, Register(o[0]), 0, 0, m.Imm);
            case Form.Load:
            {
                var dst = Register(o[0]);
                var (src, offset) = Memory(o[1]);
                return Slot(m.Opcode, dst, src, offset, 0);
            }
            case Form.Store:
            {
                var (dst, offset) = Memory(o[0]);
                return Slot(m.Opcode, dst, 0, offset, Numbers.Imm32(o[1]));
            }
            case Form.StoreRegister:
            {
                var (dst, offset) = Memory(o[0]);
                return Slot(m.Opcode, dst, Register(o[1]), offset, 0);
            }
            case Form.LoadImm64:
            {
                var dst = Register(o[0]);
                if (PseudoLoads.IsPseudo(o[1])) return PseudoLoads.Encode(dst, o[1]);
                var value = Numbers.Imm64(o[1]);
                // RFC 9669 §5.4: the low half in the first slot's imm, the high half in the second's.
                return new Encoded(new Instruction(Opcode.Lddw, dst, 0, 0, (int)value),
                    new Instruction(Opcode.Invalid, 0, 0, 0, (int)(value >> 32)));
            }
            case Form.LoadAbsolute:
                return Slot(m.Opcode, 0, 0, 0, Numbers.Imm32(o[0]));
            case Form.LoadIndirect:
                return Slot(m.Opcode, 0, Register(o[0]), 0, Numbers.Imm32(o[1]));
            case Form.Jump:
            {
                var dst = Register(o[0]);
                var (offset, label) = OffsetTarget(o[2]);
                return IsRegister(o[1])
                    ? Slot((byte)(m.Opcode | Bpf.X), dst, Register(o[1]), offset, 0, label)
                    : Slot(m.Opcode, dst, 0, offset, Numbers.Imm32(o[1]), label);
            }
            case Form.Ja:
            {
                var (offset, label) = OffsetTarget(o[0]);
                return Slot(m.Opcode, 0, 0, offset, 0, label);
            }
            case Form.Ja32:
            {
                var (imm, label) = ImmTarget(o[0]);
                return Slot(m.Opcode, 0, 0, 0, imm, label);
            }
            default:
                return Slot(m.Opcode, 0, 0, 0, 0);
        }
    }

    /// <summary><c>call N</c> and <c>call helper N</c> call a helper; <c>call %rX</c> is callx (0x8d) with the register
    /// in dst, as upstream encodes it; <c>call local T</c> sets src 1 and a pc-relative imm; <c>call runtime N</c>
    /// sets src 2.</summary>
    static Encoded EncodeCall(List<string> o)
    {
        var (mode, target) = o.Count switch
        {
            1 => ("helper", o[0]),
            2 => (o[0], o[1]),
            _ => throw new SyntaxError("Invalid number of operands for mnemonic: call"),
        };
        switch (mode)
        {
            case "helper" when IsRegister(target):
                return Slot((byte)Opcode.Callx, Register(target), 0, 0, 0);
            case "helper":
                return Slot((byte)Opcode.Call, 0, 0, 0, Numbers.Imm32(target));
            case "local":
            {
                var (imm, label) = ImmTarget(target);
                return Slot((byte)Opcode.Call, 0, (Register)Bpf.PSEUDO_CALL, 0, imm, label);
            }
            case "runtime":
                return Slot((byte)Opcode.Call, 0, (Register)Bpf.PSEUDO_KFUNC_CALL, 0, Numbers.Imm32(target));
            default:
                throw new SyntaxError($"Invalid call mode: {mode}");
        }
    }

    /// <summary><c>lock [fetch] op [%rD+off], %rS</c>. Errors mirror upstream, which moves the operation into the
    /// mnemonic's place: <c>lock or [%r10-8]</c> is "Invalid number of operands for mnemonic: or".</summary>
    static Encoded EncodeLock(List<string> o)
    {
        var fetch = o.Count > 0 && o[0] == "fetch";
        var rest = fetch ? o.Skip(1).ToList() : o;
        if (rest.Count == 0) throw new SyntaxError("Invalid number of operands for lock");
        var name = rest[0];
        if (!Atomics.TryFind(name, out var opcode, out var imm))
            throw new SyntaxError($"Invalid mnemonic: lock {name}");
        if (rest.Count != 3) throw new SyntaxError($"Invalid number of operands for mnemonic: {name}");
        if (imm == Bpf.LOAD_ACQ)
        {
            var (address, at) = Memory(rest[2]);
            return Slot(opcode, Register(rest[1]), address, at, imm);
        }
        var (dst, offset) = Memory(rest[1]);
        return Slot(opcode, dst, Register(rest[2]), offset, imm | (fetch ? Bpf.FETCH : 0));
    }

    static (short Offset, string? Label) OffsetTarget(string target) =>
        IsRelative(target) ? (Numbers.Offset(target, target), null) : ((short)0, target);

    /// <summary>Targets carried in imm (gotol, local call) may use the full 32-bit range; upstream limits a numeric
    /// one to 16 bits, which only matters beyond ±32767 slots.</summary>
    static (int Imm, string? Label) ImmTarget(string target) =>
        IsRelative(target) ? (Numbers.Imm32(target), null) : (0, target);

    static Encoded Slot(byte opcode, Register dst, Register src, short offset, int imm, string? label = null) =>
        new(new Instruction((Opcode)opcode, dst, src, offset, imm), Label: label);
}
