namespace BpfSharp.Isa;

/// <summary>Turns bytes into instructions and judges every field against <see cref="OpcodeTable"/>.</summary>
internal static class InstructionDecoder
{
    /// <summary>Decodes a whole program; throws <see cref="ObjectFormatException"/> naming the first bad slot.</summary>
    public static Instruction[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Instruction.Size != 0)
            throw new ObjectFormatException(
                $"program is {bytes.Length} bytes, not a whole number of 8-byte instructions ({bytes.Length % Instruction.Size} bytes left over)",
                instructionIndex: bytes.Length / Instruction.Size);
        var code = new Instruction[bytes.Length / Instruction.Size];
        for (var i = 0; i < code.Length; i++)
            code[i] = Instruction.Read(bytes.Slice(i * Instruction.Size, Instruction.Size));
        Validate(code);
        return code;
    }

    /// <summary>Checks every instruction of a program; throws <see cref="ObjectFormatException"/> naming the first
    /// bad slot and the reason. <paramref name="probeLoads"/> admits the internal probe loads the loader writes
    /// (<see cref="Bpf.PROBE_MEM"/>), judged as the loads they stand for; no object may contain them.</summary>
    public static void Validate(ReadOnlySpan<Instruction> code, bool probeLoads = false)
    {
        for (var i = 0; i < code.Length; i += code[i].Opcode == Opcode.Lddw ? 2 : 1)
        {
            var error = probeLoads && Bpf.IsProbeLoad((byte)code[i].Opcode)
                ? Check([code[i].WithOpcode((Opcode)Bpf.ProbeForm((byte)code[i].Opcode))], 0, out var detail)
                : Check(code, i, out detail);
            if (error != DecodeError.None)
                throw new ObjectFormatException(detail, instructionIndex: i);
        }
    }

    /// <summary>Judges the instruction at <paramref name="index"/> (and, for <c>lddw</c>, its second slot)
    /// without throwing.</summary>
    public static bool TryDecode(ReadOnlySpan<Instruction> code, int index, out DecodeError error)
    {
        error = Check(code, index, out _);
        return error == DecodeError.None;
    }

    /// <summary>Judges one instruction; <paramref name="detail"/> explains a failure in one sentence.</summary>
    internal static DecodeError Check(ReadOnlySpan<Instruction> code, int index, out string detail)
    {
        var insn = code[index];
        var info = OpcodeTable.Find((byte)insn.Opcode);
        if (info is null)
        {
            detail = $"unknown opcode 0x{(byte)insn.Opcode:x2}";
            return DecodeError.UnknownOpcode;
        }
        var name = new OpcodeName(info.Opcode, (byte)insn.Opcode);
        var error = CheckRegister(info.Dst, (byte)insn.Dst, "dst", name, out detail);
        if (error == DecodeError.None) error = CheckRegister(info.Src, (byte)insn.Src, "src", name, out detail);
        if (error == DecodeError.None) error = CheckOffset(info.Offset, insn.Offset, name, out detail);
        if (error == DecodeError.None) error = CheckImmediate(info.Imm, insn.Imm, name, out detail);
        if (error == DecodeError.None && Bpf.Mode((byte)insn.Opcode) == Bpf.ATOMIC && insn.Imm == Bpf.LOAD_ACQ && insn.Dst == Register.R10)
        {
            detail = $"{name}: load-acquire into r10, the read-only frame pointer";
            return DecodeError.FramePointerWrite;
        }
        if (error == DecodeError.None && insn.Opcode is Opcode.AtomicW or Opcode.AtomicDw && insn.Src == Register.R10
            && (insn.Imm & Bpf.FETCH) != 0 && insn.Imm != Bpf.CMPXCHG)
        {
            // A fetch loads the old value into src: r10 would move, and the stack with it (the kernel's
            // check_atomic refuses it as "frame pointer is read only").
            detail = $"{name}: fetches into r10, the read-only frame pointer";
            return DecodeError.FramePointerWrite;
        }
        if (error == DecodeError.None && info.Slots == 2)
        {
            if (index + 1 >= code.Length)
            {
                detail = "lddw is the last slot: its second half (the upper 32 bits of the immediate) is missing";
                return DecodeError.TruncatedLddw;
            }
            var next = code[index + 1];
            if ((byte)next.Opcode != 0 || next.Dst != 0 || next.Src != 0 || next.Offset != 0)
            {
                detail = $"the second slot of lddw must have opcode, registers and offset zero, has opcode 0x{(byte)next.Opcode:x2}, " +
                         $"dst {(byte)next.Dst}, src {(byte)next.Src}, offset {next.Offset}";
                return DecodeError.InvalidLddwSecondSlot;
            }
        }
        return error;
    }

    static DecodeError CheckRegister(RegisterRule rule, byte value, string field, OpcodeName name, out string detail)
    {
        detail = "";
        switch (rule)
        {
            case RegisterRule.Zero when value != 0:
                detail = $"{name}: unused field {field} must be 0, is {value}";
                return DecodeError.ReservedFieldNotZero;
            case RegisterRule.Readable or RegisterRule.Writable when value > 10:
                detail = $"{name}: {field} register r{value} does not exist (r0-r10)";
                return DecodeError.InvalidRegister;
            case RegisterRule.Writable when value == 10:
                detail = $"{name}: writes r10, the read-only frame pointer";
                return DecodeError.FramePointerWrite;
            case RegisterRule.CallKind when value > Bpf.PSEUDO_KFUNC_CALL:
                detail = $"{name}: src {value} is not a call kind (0 helper, 1 local function, 2 kfunc)";
                return DecodeError.InvalidSource;
            case RegisterRule.PseudoSource when value > Bpf.PSEUDO_MAP_IDX_VALUE:
                detail = $"{name}: src {value} is not a lddw source (0 immediate, 1-6 BPF_PSEUDO_*)";
                return DecodeError.InvalidSource;
            default:
                return DecodeError.None;
        }
    }

    static DecodeError CheckOffset(OffsetRule rule, short value, OpcodeName name, out string detail)
    {
        detail = "";
        var ok = rule switch
        {
            OffsetRule.Zero => value == 0,
            OffsetRule.SignedFlag => value is 0 or 1,
            OffsetRule.MovSx32 => value is 0 or 8 or 16,
            OffsetRule.MovSx64 => value is 0 or 8 or 16 or 32,
            _ => true,
        };
        if (ok) return DecodeError.None;
        if (rule == OffsetRule.Zero)
        {
            detail = $"{name}: unused field offset must be 0, is {value}";
            return DecodeError.ReservedFieldNotZero;
        }
        detail = rule switch
        {
            OffsetRule.SignedFlag => $"{name}: offset must be 0 (unsigned) or 1 (signed), is {value}",
            OffsetRule.MovSx32 => $"{name}: offset must be 0 (mov) or 8/16 (movsx), is {value}",
            _ => $"{name}: offset must be 0 (mov) or 8/16/32 (movsx), is {value}",
        };
        return DecodeError.InvalidOffset;
    }

    static DecodeError CheckImmediate(ImmediateRule rule, int value, OpcodeName name, out string detail)
    {
        detail = "";
        switch (rule)
        {
            case ImmediateRule.Zero when value != 0:
                detail = $"{name}: unused field imm must be 0, is {value}";
                return DecodeError.ReservedFieldNotZero;
            case ImmediateRule.SwapWidth when value is not (16 or 32 or 64):
                detail = $"{name}: byte-swap width must be 16, 32 or 64, is {value}";
                return DecodeError.InvalidImmediate;
            case ImmediateRule.AtomicOperation when !IsAtomicOperation(value):
                detail = $"{name}: imm 0x{value:x} is not an atomic operation (add/or/and/xor with or without fetch, xchg, cmpxchg, load-acquire, store-release)";
                return DecodeError.InvalidImmediate;
            case ImmediateRule.OrderedAccess when value is not (Bpf.LOAD_ACQ or Bpf.STORE_REL):
                detail = $"{name}: imm 0x{value:x} is not a load-acquire (0x100) or store-release (0x110), the only 8- and 16-bit atomics";
                return DecodeError.InvalidImmediate;
            default:
                return DecodeError.None;
        }
    }

    static bool IsAtomicOperation(int imm) => imm is
        Bpf.ADD or Bpf.OR or Bpf.AND or Bpf.XOR or
        (Bpf.ADD | Bpf.FETCH) or (Bpf.OR | Bpf.FETCH) or (Bpf.AND | Bpf.FETCH) or (Bpf.XOR | Bpf.FETCH) or
        Bpf.XCHG or Bpf.CMPXCHG or Bpf.LOAD_ACQ or Bpf.STORE_REL;

    /// <summary>"AtomicDw (0xdb)": formatted only into a failure's detail, as most instructions pass.</summary>
    readonly record struct OpcodeName(Opcode Opcode, byte Value)
    {
        public override string ToString() => $"{Opcode} (0x{Value:x2})";
    }
}
