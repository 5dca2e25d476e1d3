namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>How a mnemonic's operands are read and turned into fields.</summary>
internal enum Form : byte
{
    /// <summary><c>op %rD, %rS|imm</c> (one operand for neg): the source bit follows the second operand.</summary>
    Alu,
    /// <summary><c>le16 %rD</c>: the width is in the mnemonic and goes to imm.</summary>
    ByteSwap,
    /// <summary><c>ldxw %rD, [%rS+off]</c></summary>
    Load,
    /// <summary><c>stw [%rD+off], imm</c></summary>
    Store,
    /// <summary><c>stxw [%rD+off], %rS</c></summary>
    StoreRegister,
    /// <summary><c>lddw %rD, imm64</c> (or <c>map:K</c>, <c>mapvalue:K+OFF</c>, <c>func:LABEL</c>): two slots.</summary>
    LoadImm64,
    /// <summary><c>ldabsw imm</c> (legacy packet access; GNU as spelling, upstream has none).</summary>
    LoadAbsolute,
    /// <summary><c>ldindw %rS, imm</c> (legacy packet access; GNU as spelling, upstream has none).</summary>
    LoadIndirect,
    /// <summary><c>jeq %rD, %rS|imm, target</c>: target in offset.</summary>
    Jump,
    /// <summary><c>ja target</c>: target in offset.</summary>
    Ja,
    /// <summary><c>ja32 target</c>: target in imm (gotol).</summary>
    Ja32,
    /// <summary><c>call N</c>, <c>call %rX</c>, <c>call helper|local|runtime T</c>.</summary>
    Call,
    /// <summary><c>exit</c></summary>
    Exit,
}

/// <summary>One mnemonic: its form, the opcode with the source bit clear, the operand count, and the offset or
/// immediate the mnemonic itself fixes (sdiv's 1, movsx's width, a byte swap's width).</summary>
internal sealed record Mnemonic(Form Form, byte Opcode, int Operands, short Offset = 0, int Imm = 0);

/// <summary>Every mnemonic of the dialect except <c>lock</c> (see <see cref="Atomics"/>).</summary>
internal static class Mnemonics
{
    static readonly Dictionary<string, Mnemonic> table = Build();

    public static Mnemonic? Find(string name) => table.GetValueOrDefault(name);

    static Dictionary<string, Mnemonic> Build()
    {
        var t = new Dictionary<string, Mnemonic>(StringComparer.Ordinal);

        (string Name, byte Op)[] alu =
        [
            ("add", Bpf.ADD), ("sub", Bpf.SUB), ("mul", Bpf.MUL), ("div", Bpf.DIV), ("or", Bpf.OR), ("and", Bpf.AND),
            ("lsh", Bpf.LSH), ("rsh", Bpf.RSH), ("mod", Bpf.MOD), ("xor", Bpf.XOR), ("mov", Bpf.MOV), ("arsh", Bpf.ARSH),
        ];
        foreach (var (suffix, cls) in new[] { ("", Bpf.ALU64), ("64", Bpf.ALU64), ("32", Bpf.ALU) })
        {
            foreach (var (name, op) in alu)
                t[name + suffix] = new(Form.Alu, (byte)(cls | op), 2);
            // RFC 9669 §4.1: offset 1 selects the signed variant of div and mod.
            t["sdiv" + suffix] = new(Form.Alu, (byte)(cls | Bpf.DIV), 2, Offset: 1);
            t["smod" + suffix] = new(Form.Alu, (byte)(cls | Bpf.MOD), 2, Offset: 1);
            t["neg" + suffix] = new(Form.Alu, (byte)(cls | Bpf.NEG), 1);
        }
        // movsx<from><to>: the offset is the source width (RFC 9669 §4.1); only these five exist.
        foreach (var (name, cls, width) in new[]
                 { ("movsx864", Bpf.ALU64, 8), ("movsx1664", Bpf.ALU64, 16), ("movsx3264", Bpf.ALU64, 32),
                   ("movsx832", Bpf.ALU, 8), ("movsx1632", Bpf.ALU, 16) })
            t[name] = new(Form.Alu, (byte)(cls | Bpf.MOV), 2, Offset: (short)width);

        foreach (var width in new[] { 16, 32, 64 })
        {
            t[$"le{width}"] = new(Form.ByteSwap, (byte)Opcode.Le, 1, Imm: width);
            t[$"be{width}"] = new(Form.ByteSwap, (byte)Opcode.Be, 1, Imm: width);
            t[$"swap{width}"] = new(Form.ByteSwap, (byte)Opcode.Bswap, 1, Imm: width);
            t[$"bswap{width}"] = new(Form.ByteSwap, (byte)Opcode.Bswap, 1, Imm: width);
        }

        foreach (var (size, code) in new[] { ("b", Bpf.B), ("h", Bpf.H), ("w", Bpf.W), ("dw", Bpf.DW) })
        {
            t["ldx" + size] = new(Form.Load, (byte)(Bpf.LDX | Bpf.MEM | code), 2);
            t["st" + size] = new(Form.Store, (byte)(Bpf.ST | Bpf.MEM | code), 2);
            t["stx" + size] = new(Form.StoreRegister, (byte)(Bpf.STX | Bpf.MEM | code), 2);
            if (code == Bpf.DW) continue;   // RFC 9669 has no 64-bit sign-extending load nor DW packet loads
            t["ldxs" + size] = new(Form.Load, (byte)(Bpf.LDX | Bpf.MEMSX | code), 2);
            t["ldabs" + size] = new(Form.LoadAbsolute, (byte)(Bpf.LD | Bpf.ABS | code), 1);
            t["ldind" + size] = new(Form.LoadIndirect, (byte)(Bpf.LD | Bpf.IND | code), 2);
        }
        t["lddw"] = new(Form.LoadImm64, (byte)Opcode.Lddw, 2);

        (string Name, byte Op)[] jumps =
        [
            ("jeq", Bpf.JEQ), ("jgt", Bpf.JGT), ("jge", Bpf.JGE), ("jset", Bpf.JSET), ("jne", Bpf.JNE), ("jsgt", Bpf.JSGT),
            ("jsge", Bpf.JSGE), ("jlt", Bpf.JLT), ("jle", Bpf.JLE), ("jslt", Bpf.JSLT), ("jsle", Bpf.JSLE),
        ];
        foreach (var (name, op) in jumps)
        {
            t[name] = new(Form.Jump, (byte)(Bpf.JMP | op), 3);
            t[name + "32"] = new(Form.Jump, (byte)(Bpf.JMP32 | op), 3);
        }
        t["ja"] = new(Form.Ja, (byte)Opcode.Ja, 1);
        t["ja32"] = new(Form.Ja32, (byte)Opcode.Ja32, 1);
        t["may_goto"] = new(Form.Ja, (byte)Opcode.MayGoto, 1);
        t["call"] = new(Form.Call, (byte)Opcode.Call, 2);
        t["exit"] = new(Form.Exit, (byte)Opcode.Exit, 0);
        return t;
    }
}
