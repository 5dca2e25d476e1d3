using BpfSharp.Isa;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>Single instructions: arithmetic, branches, memory accesses, with the immediates where semantics have
/// edges (0, ±1, the shift widths, INT_MIN/INT_MAX).</summary>
internal sealed partial class ProgramGenerator
{
    static readonly int[] Edges = [0, 1, -1, 2, 7, 8, 16, 31, 32, 33, 63, 64, int.MinValue, int.MaxValue, 0x7fff, -0x8000, 0xff];
    static readonly byte[] AluOps = [Bpf.ADD, Bpf.SUB, Bpf.MUL, Bpf.DIV, Bpf.OR, Bpf.AND, Bpf.LSH, Bpf.RSH, Bpf.NEG, Bpf.MOD, Bpf.XOR, Bpf.MOV, Bpf.ARSH, Bpf.END];
    static readonly byte[] JumpOps = [Bpf.JEQ, Bpf.JGT, Bpf.JGE, Bpf.JSET, Bpf.JNE, Bpf.JSGT, Bpf.JSGE, Bpf.JLT, Bpf.JLE, Bpf.JSLT, Bpf.JSLE];
    static readonly int[] AtomicOps = [Bpf.ADD, Bpf.OR, Bpf.AND, Bpf.XOR, Bpf.ADD | Bpf.FETCH, Bpf.OR | Bpf.FETCH, Bpf.AND | Bpf.FETCH,
        Bpf.XOR | Bpf.FETCH, Bpf.XCHG, Bpf.CMPXCHG];

    int Immediate() => random.Next(4) switch
    {
        0 => Edges[random.Next(Edges.Length)],
        1 => random.Next(),
        2 => -random.Next(1000),
        _ => random.Next(100),
    };

    ulong Wide() => Chance(3) ? (ulong)(long)Immediate() : (ulong)random.NextInt64() ^ (Chance(2) ? 1UL << 63 : 0);

    void Alu(int f, Register dst)
    {
        var wide = Chance(2);
        var cls = wide ? Bpf.ALU64 : Bpf.ALU;
        var op = AluOps[random.Next(AluOps.Length)];
        var byRegister = op is not (Bpf.NEG or Bpf.END) && Chance(2);
        var src = byRegister ? Readable() : R0;
        if (op == Bpf.END)
        {
            var swap = wide ? Opcode.Bswap : Chance(2) ? Opcode.Le : Opcode.Be;
            code.Emit(f, new Instruction(swap, dst, R0, 0, Pick(16, 32, 64)));
            return;
        }
        short offset = op switch
        {
            Bpf.DIV or Bpf.MOD => (short)random.Next(2),
            Bpf.MOV when byRegister => (short)(wide ? Pick(0, 0, 8, 16, 32) : Pick(0, 0, 8, 16)),
            _ => 0,
        };
        var imm = byRegister || op == Bpf.NEG ? 0 : Immediate();
        if (verifiable && !byRegister)
        {
            if (op is Bpf.LSH or Bpf.RSH or Bpf.ARSH) imm &= wide ? 63 : 31;
            if (op is Bpf.DIV or Bpf.MOD && imm == 0) imm = 1;
        }
        code.Emit(f, new Instruction((Opcode)(cls | (byRegister ? Bpf.X : Bpf.K) | op), dst, src, offset, imm));
    }

    Instruction Branch()
    {
        // An unconditional jump leaves the statements it skips unreachable, which the verifier refuses.
        if (!verifiable && Chance(12)) return Chance(2) ? Asm.Ja(0) : new Instruction(Opcode.Ja32, R0, R0, 0, 0);
        var cls = Chance(3) ? Bpf.JMP32 : Bpf.JMP;
        var op = JumpOps[random.Next(JumpOps.Length)];
        return Chance(2)
            ? new Instruction((Opcode)(cls | Bpf.X | op), Readable(), Readable(), 0, 0)
            : new Instruction((Opcode)(cls | Bpf.K | op), Readable(), R0, 0, Immediate());
    }

    /// <summary>A load, store or atomic at the stack (r10), the data (r6), a pointer a caller passed (r1, r2) or
    /// whatever a register holds; mostly in bounds.</summary>
    void Memory(int f)
    {
        var size = Pick(1, 2, 4, 8);
        var kind = random.Next(11);
        if (kind is 8 or 9) size = Chance(2) ? 4 : 8; // read-modify-write atomics
        var (based, offset) = random.Next(20) switch
        {
            < 10 => (R10, -8 * random.Next(1, 65) + (Chance(8) ? random.Next(1, 8) : 0) - (Chance(40) ? 520 : 0)),
            < 17 => (R6, Chance(6) ? random.Next(-8, DataLength + 8) : size * random.Next(0, DataLength / size)),
            < 19 => (Chance(2) ? R1 : R2, 8 * random.Next(-2, 4)),
            _ => (Readable(), random.Next(-16, 16)),
        };
        var sizeBits = size switch { 1 => Bpf.B, 2 => Bpf.H, 4 => Bpf.W, _ => Bpf.DW };
        var value = AnyDestination();
        var off = (short)offset;
        switch (kind)
        {
            case < 3: code.Emit(f, new Instruction((Opcode)(Bpf.LDX | Bpf.MEM | sizeBits), value, based, off, 0)); break;
            case 3 when size < 8: code.Emit(f, new Instruction((Opcode)(Bpf.LDX | Bpf.MEMSX | sizeBits), value, based, off, 0)); break;
            case < 6: code.Emit(f, new Instruction((Opcode)(Bpf.ST | Bpf.MEM | sizeBits), based, R0, off, Immediate())); break;
            case < 8: code.Emit(f, new Instruction((Opcode)(Bpf.STX | Bpf.MEM | sizeBits), based, Readable(), off, 0)); break;
            case 10 when Chance(2):
                code.Emit(f, new Instruction((Opcode)(Bpf.STX | Bpf.ATOMIC | sizeBits), value, based, off, Bpf.LOAD_ACQ));
                break;
            case 10:
                code.Emit(f, new Instruction((Opcode)(Bpf.STX | Bpf.ATOMIC | sizeBits), based, Readable(), off, Bpf.STORE_REL));
                break;
            default:
                // The decoder refuses a fetch into r10; the source register is read (and, with fetch, written).
                var source = (Register)random.Next(0, 10);
                code.Emit(f, new Instruction((Opcode)(Bpf.STX | Bpf.ATOMIC | sizeBits), based, counters.Contains(source) ? R0 : source, off,
                    AtomicOps[random.Next(AtomicOps.Length)]));
                break;
        }
    }
}
