namespace BpfSharp.Isa;

/// <summary>Formats one instruction exactly as <c>llvm-objdump-19 -d</c> prints it, and decides, as LLVM 19's BPF
/// decoder does, which slots it cannot decode (<c>&lt;unknown&gt;</c>).</summary>
/// <remarks>
/// The rules were measured against llvm-objdump-19 (tests/fixtures/sweep.objdump holds the evidence). LLVM's decoder
/// is not the kernel's validity table (<see cref="OpcodeTable"/>): it checks only the bits an instruction's encoding
/// fixes and ignores the rest (<c>call</c> ignores everything but imm, ALU immediates ignore src), accepts r11, and,
/// without <c>--mattr=+alu32</c>, knows just one 32-bit atomic (<c>lock +=</c>). Immediates print as signed 32-bit hex,
/// <c>lddw</c>'s as signed 64-bit.
/// </remarks>
internal static class InstructionFormatter
{
    const int MaxRegister = 11;

    static readonly string[] R = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"];
    static readonly string[] W = ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10", "w11"];

    /// <summary>Writes the instruction's text; returns false, writing nothing, when LLVM 19 cannot decode it.
    /// <paramref name="high"/> is the immediate of <c>lddw</c>'s second slot.</summary>
    public static bool TryFormat<TSink>(Instruction insn, uint high, ref TSink sink) where TSink : ITextSink, allows ref struct =>
        insn.Class switch
        {
            Bpf.ALU or Bpf.ALU64 => Alu(insn, ref sink),
            Bpf.JMP or Bpf.JMP32 => Jump(insn, ref sink),
            Bpf.LD => Ld(insn, high, ref sink),
            Bpf.LDX => Ldx(insn, ref sink),
            Bpf.ST => St(insn, ref sink),
            _ => Stx(insn, ref sink),
        };

    /// <summary>Whether LLVM 19 decodes the slot at all.</summary>
    public static bool Decodes(Instruction insn)
    {
        var sink = new NullSink();
        return TryFormat(insn, 0, ref sink);
    }

    /// <summary>For a jump llvm-objdump annotates with its target (conditional jumps, <c>goto</c>, <c>gotol</c>,
    /// <c>may_goto</c>; not calls): the displacement in slots after the next instruction.</summary>
    public static bool TryGetJumpDisplacement(Instruction insn, out int displacement)
    {
        displacement = 0;
        var code = Bpf.Op((byte)insn.Opcode);
        if (insn.Class is not (Bpf.JMP or Bpf.JMP32) || code is Bpf.CALL or Bpf.EXIT || !Decodes(insn))
            return false;
        displacement = insn.Class == Bpf.JMP32 && code == Bpf.JA ? insn.Imm : insn.Offset;
        return true;
    }

    static bool Alu<TSink>(Instruction insn, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        var wide = insn.Class == Bpf.ALU64;
        var regs = wide ? R : W;
        var op = (byte)insn.Opcode;
        var viaRegister = Bpf.Source(op) == Bpf.X;
        int dst = (byte)insn.Dst, src = (byte)insn.Src;
        if (dst > MaxRegister || viaRegister && src > MaxRegister && Bpf.Op(op) is not (Bpf.NEG or Bpf.END))
            return false;
        switch (Bpf.Op(op))
        {
            case Bpf.NEG:
                if (viaRegister) return false;
                Reg(ref sink, regs, dst);
                Op(ref sink, " = ");
                sink.Write("-", TextKind.Operator);
                Reg(ref sink, regs, dst);
                return true;
            case Bpf.END:
                var name = (wide, viaRegister) switch { (false, false) => "le", (false, true) => "be", (true, false) => "bswap", _ => null };
                if (name is null || insn.Imm is not (16 or 32 or 64)) return false;
                // Byte swaps always name the 64-bit register, even in the 32-bit ALU class.
                Reg(ref sink, R, dst);
                Op(ref sink, " = ");
                Span<char> mnemonic = stackalloc char[8];
                name.CopyTo(mnemonic);
                insn.Imm.TryFormat(mnemonic[name.Length..], out var digits);
                sink.Write(mnemonic[..(name.Length + digits)], TextKind.Mnemonic);
                Space(ref sink);
                Reg(ref sink, R, dst);
                return true;
            case Bpf.MOV:
                return Move(insn, regs, viaRegister, ref sink);
            case 0xe0 or 0xf0:
                return false;
        }
        var symbol = Bpf.Op(op) switch
        {
            Bpf.ADD => "+=", Bpf.SUB => "-=", Bpf.MUL => "*=", Bpf.OR => "|=", Bpf.AND => "&=", Bpf.LSH => "<<=",
            Bpf.RSH => ">>=", Bpf.XOR => "^=", Bpf.ARSH => "s>>=",
            Bpf.DIV => insn.Offset switch { 0 => "/=", 1 => "s/=", _ => null },
            _ => insn.Offset switch { 0 => "%=", 1 => "s%=", _ => null }, // MOD
        };
        if (symbol is null || insn.Offset != 0 && Bpf.Op(op) is not (Bpf.DIV or Bpf.MOD)) return false;
        Reg(ref sink, regs, dst);
        Space(ref sink);
        sink.Write(symbol, TextKind.Operator);
        Space(ref sink);
        if (viaRegister) Reg(ref sink, regs, src);
        else Number(ref sink, insn.Imm);
        return true;
    }

    static bool Move<TSink>(Instruction insn, string[] regs, bool viaRegister, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        var wide = regs == R;
        var cast = (viaRegister, insn.Offset) switch
        {
            (false, 0) or (true, 0) => "",
            (true, 8) => "s8",
            (true, 16) => "s16",
            (true, 32) when wide => "s32",
            (true, 1) when wide => "addr_space_cast",
            _ => null,
        };
        if (cast is null) return false;
        Reg(ref sink, regs, (byte)insn.Dst);
        Op(ref sink, " = ");
        if (!viaRegister)
        {
            Number(ref sink, insn.Imm);
            return true;
        }
        if (cast == "addr_space_cast")
        {
            // The arena cast (v4 mov with offset 1): imm holds the destination address space high, the source low.
            sink.Write(cast, TextKind.Mnemonic);
            sink.Write("(", TextKind.Text);
            Reg(ref sink, regs, (byte)insn.Src);
            sink.Write(", ", TextKind.Text);
            Number(ref sink, (ushort)(insn.Imm >> 16));
            sink.Write(", ", TextKind.Text);
            Number(ref sink, (ushort)insn.Imm);
            sink.Write(")", TextKind.Text);
            return true;
        }
        if (cast.Length > 0)
        {
            sink.Write("(", TextKind.Text);
            sink.Write(cast, TextKind.Type);
            sink.Write(")", TextKind.Text);
        }
        Reg(ref sink, regs, (byte)insn.Src);
        return true;
    }

    static bool Jump<TSink>(Instruction insn, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        var narrow = insn.Class == Bpf.JMP32;
        var regs = narrow ? W : R;
        var op = (byte)insn.Opcode;
        var viaRegister = Bpf.Source(op) == Bpf.X;
        int dst = (byte)insn.Dst, src = (byte)insn.Src;
        switch (Bpf.Op(op))
        {
            case Bpf.JA when !viaRegister:
                sink.Write(narrow ? "gotol" : "goto", TextKind.Mnemonic);
                Space(ref sink);
                Displacement(ref sink, narrow ? insn.Imm : insn.Offset);
                return true;
            case Bpf.CALL when !narrow && !viaRegister:
                sink.Write("call", TextKind.Mnemonic);
                Space(ref sink);
                Number(ref sink, insn.Imm);
                return true;
            case Bpf.CALL when !narrow && dst <= MaxRegister:
                sink.Write("callx", TextKind.Mnemonic);
                Space(ref sink);
                Reg(ref sink, R, dst);
                return true;
            case Bpf.EXIT when !narrow && !viaRegister && insn.Imm == 0:
                sink.Write("exit", TextKind.Mnemonic);
                return true;
            case 0xe0 when !narrow && !viaRegister: // BPF_JCOND, from bpf_experimental.h's cond_break
                sink.Write("may_goto", TextKind.Mnemonic);
                Space(ref sink);
                Displacement(ref sink, insn.Offset);
                return true;
            case Bpf.JA or Bpf.CALL or Bpf.EXIT or 0xe0 or 0xf0:
                return false;
        }
        if (dst > MaxRegister || viaRegister && src > MaxRegister) return false;
        var comparison = Bpf.Op(op) switch
        {
            Bpf.JEQ => "==", Bpf.JGT => ">", Bpf.JGE => ">=", Bpf.JSET => "&", Bpf.JNE => "!=", Bpf.JSGT => "s>",
            Bpf.JSGE => "s>=", Bpf.JLT => "<", Bpf.JLE => "<=", Bpf.JSLT => "s<", _ => "s<=", // JSLE
        };
        sink.Write("if", TextKind.Mnemonic);
        Space(ref sink);
        Reg(ref sink, regs, dst);
        Space(ref sink);
        sink.Write(comparison, TextKind.Operator);
        Space(ref sink);
        if (viaRegister) Reg(ref sink, regs, src);
        else Number(ref sink, insn.Imm);
        Space(ref sink);
        sink.Write("goto", TextKind.Mnemonic);
        Space(ref sink);
        Displacement(ref sink, insn.Offset);
        return true;
    }

    static bool Ld<TSink>(Instruction insn, uint high, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        int dst = (byte)insn.Dst, src = (byte)insn.Src;
        var op = (byte)insn.Opcode;
        if (insn.Opcode == Opcode.Lddw)
        {
            if (insn.Offset != 0 || dst > MaxRegister) return false;
            if (src == 0)
            {
                Reg(ref sink, R, dst);
                Op(ref sink, " = ");
                Number(ref sink, (long)((ulong)high << 32 | (uint)insn.Imm));
                Space(ref sink);
                sink.Write("ll", TextKind.Mnemonic);
                return true;
            }
            // A pseudo source (map fd, map value, BTF id, function): LLVM prints the raw fields, imm unsigned.
            sink.Write("ld_pseudo", TextKind.Mnemonic);
            sink.Write("\t", TextKind.Text);
            Reg(ref sink, R, dst);
            sink.Write(", ", TextKind.Text);
            Number(ref sink, src);
            sink.Write(", ", TextKind.Text);
            Number(ref sink, (uint)insn.Imm);
            return true;
        }
        var mode = Bpf.Mode(op);
        if (mode is not (Bpf.ABS or Bpf.IND) || Bpf.Size(op) == Bpf.DW || mode == Bpf.IND && src > MaxRegister)
            return false;
        Reg(ref sink, R, 0);
        Op(ref sink, " = ");
        sink.Write("*(", TextKind.Text);
        sink.Write(Width(op, signed: false), TextKind.Type);
        sink.Write(" *)", TextKind.Text);
        sink.Write("skb", TextKind.Mnemonic);
        sink.Write("[", TextKind.Text);
        if (mode == Bpf.ABS) Number(ref sink, insn.Imm);
        else Reg(ref sink, R, src);
        sink.Write("]", TextKind.Text);
        return true;
    }

    static bool Ldx<TSink>(Instruction insn, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        var op = (byte)insn.Opcode;
        var mode = Bpf.Mode(op);
        if (mode is not (Bpf.MEM or Bpf.MEMSX) || mode == Bpf.MEMSX && Bpf.Size(op) == Bpf.DW ||
            (byte)insn.Dst > MaxRegister || (byte)insn.Src > MaxRegister)
            return false;
        Reg(ref sink, R, (byte)insn.Dst);
        Op(ref sink, " = ");
        Memory(ref sink, Width(op, mode == Bpf.MEMSX), (byte)insn.Src, insn.Offset);
        return true;
    }

    static bool St<TSink>(Instruction insn, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        var op = (byte)insn.Opcode;
        if (Bpf.Mode(op) != Bpf.MEM || (byte)insn.Dst > MaxRegister) return false;
        Memory(ref sink, Width(op, signed: false), (byte)insn.Dst, insn.Offset);
        Op(ref sink, " = ");
        Number(ref sink, insn.Imm);
        return true;
    }

    static bool Stx<TSink>(Instruction insn, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        var op = (byte)insn.Opcode;
        int dst = (byte)insn.Dst, src = (byte)insn.Src;
        if (dst > MaxRegister || src > MaxRegister) return false;
        if (Bpf.Mode(op) == Bpf.MEM)
        {
            Memory(ref sink, Width(op, signed: false), dst, insn.Offset);
            Op(ref sink, " = ");
            Reg(ref sink, R, src);
            return true;
        }
        if (Bpf.Mode(op) != Bpf.ATOMIC) return false;
        // Bits 4-7 of imm pick the operation, bit 0 is BPF_FETCH; LLVM ignores the other bits.
        var operation = insn.Imm & 0xf0;
        var fetch = (insn.Imm & 0xf) == Bpf.FETCH;
        if (Bpf.Size(op) == Bpf.W)
        {
            // Without the alu32 feature, LLVM's decoder knows only the 32-bit add (and ignores its fetch bit).
            if (operation != Bpf.ADD) return false;
            return Lock(ref sink, "+=", "u32", dst, src, insn.Offset);
        }
        if (Bpf.Size(op) != Bpf.DW) return false;
        var arithmetic = operation switch { Bpf.ADD => "add", Bpf.OR => "or", Bpf.AND => "and", Bpf.XOR => "xor", _ => null };
        if (arithmetic is not null && !fetch)
            return Lock(ref sink, operation switch { Bpf.ADD => "+=", Bpf.OR => "|=", Bpf.AND => "&=", _ => "^=" }, "u64", dst, src,
                insn.Offset);
        if (!fetch) return false;
        switch (operation)
        {
            case 0xe0: // xchg
                Reg(ref sink, R, src);
                Op(ref sink, " = ");
                sink.Write("xchg_64", TextKind.Mnemonic);
                sink.Write("(", TextKind.Text);
                Address(ref sink, dst, insn.Offset);
                sink.Write(", ", TextKind.Text);
                Reg(ref sink, R, src);
                sink.Write(")", TextKind.Text);
                return true;
            case 0xf0: // cmpxchg: compares with and returns in r0
                Reg(ref sink, R, 0);
                Op(ref sink, " = ");
                sink.Write("cmpxchg_64", TextKind.Mnemonic);
                sink.Write("(", TextKind.Text);
                Address(ref sink, dst, insn.Offset);
                sink.Write(", ", TextKind.Text);
                Reg(ref sink, R, 0);
                sink.Write(", ", TextKind.Text);
                Reg(ref sink, R, src);
                sink.Write(")", TextKind.Text);
                return true;
            case var _ when arithmetic is not null:
                Reg(ref sink, R, src);
                Op(ref sink, " = ");
                Span<char> mnemonic = stackalloc char[16];
                "atomic_fetch_".CopyTo(mnemonic);
                arithmetic.CopyTo(mnemonic[13..]);
                sink.Write(mnemonic[..(13 + arithmetic.Length)], TextKind.Mnemonic);
                // A pointer, not a dereference: "((u64 *)(r1 + 0x0), r2)".
                sink.Write("((", TextKind.Text);
                sink.Write("u64", TextKind.Type);
                sink.Write(" *)(", TextKind.Text);
                Address(ref sink, dst, insn.Offset);
                sink.Write("), ", TextKind.Text);
                Reg(ref sink, R, src);
                sink.Write(")", TextKind.Text);
                return true;
            default:
                return false;
        }
    }

    static bool Lock<TSink>(ref TSink sink, string symbol, string width, int dst, int src, short offset)
        where TSink : ITextSink, allows ref struct
    {
        sink.Write("lock", TextKind.Mnemonic);
        Space(ref sink);
        Memory(ref sink, width, dst, offset);
        Space(ref sink);
        sink.Write(symbol, TextKind.Operator);
        Space(ref sink);
        Reg(ref sink, R, src);
        return true;
    }

    static string Width(byte opcode, bool signed) => (Bpf.Size(opcode), signed) switch
    {
        (Bpf.W, false) => "u32", (Bpf.H, false) => "u16", (Bpf.B, false) => "u8", (_, false) => "u64",
        (Bpf.W, true) => "s32", (Bpf.H, true) => "s16", _ => "s8",
    };

    /// <summary><c>*(u32 *)(r1 + 0x8)</c>.</summary>
    static void Memory<TSink>(ref TSink sink, string width, int register, short offset) where TSink : ITextSink, allows ref struct
    {
        sink.Write("*(", TextKind.Text);
        sink.Write(width, TextKind.Type);
        sink.Write(" *)(", TextKind.Text);
        Address(ref sink, register, offset);
        sink.Write(")", TextKind.Text);
    }

    /// <summary><c>r10 - 0x8</c>: the sign goes into the operator, the number stays positive.</summary>
    static void Address<TSink>(ref TSink sink, int register, short offset) where TSink : ITextSink, allows ref struct
    {
        Reg(ref sink, R, register);
        Op(ref sink, offset >= 0 ? " + " : " - ");
        Number(ref sink, Math.Abs((int)offset));
    }

    static void Reg<TSink>(ref TSink sink, string[] names, int register) where TSink : ITextSink, allows ref struct =>
        sink.Write(names[register], TextKind.Register);

    static void Space<TSink>(ref TSink sink) where TSink : ITextSink, allows ref struct => sink.Write(" ", TextKind.Text);

    /// <summary>An operator with its surrounding spaces, e.g. <c>" = "</c>: the spaces are written as text.</summary>
    static void Op<TSink>(ref TSink sink, string spaced) where TSink : ITextSink, allows ref struct
    {
        Space(ref sink);
        sink.Write(spaced.AsSpan(1, spaced.Length - 2), TextKind.Operator);
        Space(ref sink);
    }

    /// <summary>A jump displacement: <c>+0x3</c>, <c>-0x3</c>, <c>+0x0</c>.</summary>
    static void Displacement<TSink>(ref TSink sink, int value) where TSink : ITextSink, allows ref struct
    {
        Span<char> text = stackalloc char[24];
        var length = 0;
        if (value >= 0) text[length++] = '+';
        length += Hex(text[length..], value);
        sink.Write(text[..length], TextKind.Number);
    }

    static void Number<TSink>(ref TSink sink, long value) where TSink : ITextSink, allows ref struct
    {
        Span<char> text = stackalloc char[24];
        sink.Write(text[..Hex(text, value)], TextKind.Number);
    }

    /// <summary>LLVM's C-style hex: <c>0x1f</c>, <c>-0x1f</c>, and <c>-0x8000000000000000</c> for the minimum.</summary>
    internal static int Hex(Span<char> text, long value)
    {
        var length = 0;
        if (value < 0) text[length++] = '-';
        text[length++] = '0';
        text[length++] = 'x';
        var magnitude = value < 0 ? (ulong)-(value + 1) + 1 : (ulong)value;
        magnitude.TryFormat(text[length..], out var digits, "x");
        return length + digits;
    }

    readonly struct NullSink : ITextSink
    {
        public void Write(scoped ReadOnlySpan<char> text, TextKind kind) { }
    }
}
