using BpfSharp.Cli.Kernel;
using BpfSharp.Execution.Fuzzing;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Cli.KernelFuzz;

/// <summary>Random tc and socket-filter programs aimed at the verifier's rules rather than at the engines: stack
/// accesses at every offset, size and alignment, fixed and variable; spills and fills of numbers and pointers at
/// every width; atomics; shifts by registers and by out-of-range immediates; arithmetic on every kind of pointer;
/// packet accesses around <c>data_end</c> checks; map values with and without NULL checks; helpers given stack,
/// packet and map memory of checked and unchecked sizes; context reads and writes. Numbers come from the context
/// (<c>skb->len</c>), from <c>bpf_get_prandom_u32</c> and from boundary constants, bounded or not, so that branches
/// fork the verifier's states. Most programs are valid enough to reach the rule under test; the kernel decides the
/// rest. The same seed gives the same programs.</summary>
internal sealed class VerifierProgramGenerator(int seed)
{
    /// <summary>The one map every program may name (lddw src 1, imm 0).</summary>
    public static readonly CaseMap Map = new(new MapSpec("map0", MapType.Array, 4, MapValueSize, 4));

    const int MapValueSize = 48;

    // __sk_buff: len at 0, data at 76, data_end at 80, data_meta at 140 (include/uapi/linux/bpf.h).
    const short SkbLen = 0, SkbData = 76, SkbDataEnd = 80, SkbDataMeta = 140;

    static readonly int[] Constants = [0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 65, -8, -16, -256, -511, -512, -513,
        255, 511, 512, 0x7fff, 0xffff, 0x10000, int.MaxValue, int.MinValue];
    static readonly int[] Masks = [0x1, 0x3, 0x7, 0xf, 0x3f, 0xff, 0x1ff, 0xfff, 0xffff, -8, -4, 0x7ffffff8];
    static readonly Register[] Scratch = [R1, R2, R3, R4, R5, R8, R9];

    readonly Random random = new(seed);
    CodeBuilder code = null!;
    ProgramType type;

    public (ProgramType Type, Instruction[] Code) Next()
    {
        code = new CodeBuilder();
        code.AddFunction();
        type = random.Next(4) == 0 ? ProgramType.SocketFilter : ProgramType.SchedCls;
        Emit(Asm.Mov64(R6, R1), Asm.Load(Opcode.LdxW, R7, R6, SkbLen));
        var snippets = random.Next(1, 7);
        for (var i = 0; i < snippets; i++)
        {
            if (!Chance(3)) { Snippet(); continue; }
            // A guard that forks the state: the snippet runs only for some values of a number.
            var end = 0;
            Scalar(R2);
            code.EmitJump(0, Asm.Jump(Pick(Opcode.JgtImm, Opcode.JsgtImm, Opcode.JltImm, Opcode.JeqImm, Opcode.Jgt32Imm, Opcode.JsetImm),
                R2, Pick(Constants), 0), () => end);
            Snippet();
            end = code.Here(0);
        }
        if (Chance(2)) Emit(Asm.Mov64(R0, Pick(0, 1, 2)));
        else { Scalar(R0); Emit(Asm.Alu(Opcode.And64Imm, R0, 1)); }
        Emit(Asm.Exit());
        return (type, code.Build());
    }

    void Snippet()
    {
        switch (random.Next(15))
        {
            case 0: StackStore(); break;
            case 1: StackLoad(); break;
            case 2: VariableStack(); break;
            case 3: Atomic(); break;
            case 4: Shift(); break;
            case 5: PointerArithmetic(); break;
            case 6 when type == ProgramType.SchedCls: Packet(); break;
            case 7: MapValue(); break;
            case 8: HelperMemory(); break;
            case 9: Context(); break;
            case 10: SpillFill(); break;
            case 11: StackStore(); StackLoad(); break;
            case 12: OrderedAccess(); break;
            case 13: MayGotoLoop(); break;
            default: PointerArithmetic(); break;
        }
    }

    /// <summary>A number in <paramref name="r"/>: a constant, the packet length or a random u32, as it is or bounded,
    /// masked, shifted, negated, truncated to 32 bits, or clang's sign-mask select of a constant.</summary>
    void Scalar(Register r)
    {
        switch (random.Next(9))
        {
            case 0: Emit(Asm.Mov64(r, Pick(Constants))); break;
            case 1: Emit(Asm.Mov64(r, R7)); break;
            case 2: Emit(Asm.Mov64(r, R7), Asm.Alu(Opcode.And64Imm, r, Pick(Masks))); break;
            case 3: Emit(Asm.Mov64(r, R7), Asm.Alu(Opcode.And64Imm, r, Pick(Masks)), Asm.Alu(Opcode.Sub64Imm, r, Pick(Constants))); break;
            case 4: Emit(Asm.Alu(Opcode.Mov32Reg, r, R7), Asm.Alu(Pick(Opcode.Rsh64Imm, Opcode.Lsh64Imm, Opcode.Arsh64Imm), r, random.Next(0, 40))); break;
            case 5: Emit(Asm.Mov64(r, R7), Asm.Alu(Opcode.Neg64, r, 0)); break;
            case 6:
                // A bound from a branch: r is known to be below the constant on the path that falls through.
                var end = 0;
                Emit(Asm.Mov64(r, R7));
                code.EmitJump(0, Asm.Jump(Pick(Opcode.JgtImm, Opcode.JsgtImm, Opcode.JgeImm), r, Pick(8, 16, 64, 256, 512, 4096), 0), () => end);
                end = code.Here(0) + 1;
                Emit(Asm.Alu(Opcode.Add64Imm, r, Pick(0, -8, -16, -512)));
                break;
            case 7:
                // x < 0 ? K : 0 (or K | -1 : K) as clang writes it, on which the kernel splits the path (maybe_fork_scalars).
                var wide = Chance(2);
                Emit(Asm.Mov64(r, R7), Asm.Alu(wide ? Opcode.Lsh64Imm : Opcode.Lsh32Imm, r, wide ? Pick(0, 32, 40, 56) : Pick(0, 1, 24)),
                    Asm.Alu(wide ? Opcode.Arsh64Imm : Opcode.Arsh32Imm, r, wide ? Pick(63, 62) : Pick(31, 30)),
                    Asm.Alu(Pick(Opcode.And64Imm, Opcode.Or64Imm, Opcode.And32Imm, Opcode.Or32Imm), r, Pick(Masks)));
                break;
            default: Emit(Asm.Alu(Opcode.Mov32Imm, r, Pick(Constants))); break;
        }
    }

    /// <summary>A register holding a pointer: the stack, the context, or the stack moved by a constant.</summary>
    void Pointer(Register r)
    {
        switch (random.Next(4))
        {
            case 0: Emit(Asm.Mov64(r, R6)); break;
            case 1: Emit(Asm.Mov64(r, R10), Asm.Add64(r, StackOffset(8))); break;
            default: Emit(Asm.Mov64(r, R10)); break;
        }
    }

    /// <summary>A value to store: a number, a pointer, or an immediate (null).</summary>
    Register? Value(Register r)
    {
        switch (random.Next(5))
        {
            case 0: return null;
            case 1: Pointer(r); return r;
            default: Scalar(r); return r;
        }
    }

    void StackStore()
    {
        var size = Size();
        var source = Value(R2);
        var offset = StackOffset(size);
        Emit(source is { } s ? Asm.Store(Stx(size), R10, offset, s) : Asm.Store(St(size), R10, offset, Pick(Constants)));
    }

    void StackLoad()
    {
        var size = Size();
        var target = Pick(Scratch);
        Emit(Asm.Load(Chance(6) ? Ldxs(size) : Ldx(size), target, R10, StackOffset(size)));
        // Use what was read: as a pointer (a filled spill) or as a stack offset.
        if (Chance(2)) Emit(Asm.Load(Ldx(Size()), R0, target, (short)Pick(0, 0, 4, 8, -8)));
        else { Emit(Asm.Mov64(R3, R10), Asm.Alu(Opcode.Add64Reg, R3, target)); Emit(Asm.Store(Opcode.StB, R3, (short)Pick(-1, -8, -64, -512), 0)); }
    }

    void VariableStack()
    {
        var size = Size();
        Scalar(R2);
        Emit(Asm.Mov64(R3, R10), Asm.Alu(Chance(4) ? Opcode.Sub64Reg : Opcode.Add64Reg, R3, R2));
        var offset = StackOffset(size);
        if (Chance(2)) Emit(Asm.Load(Ldx(size), R4, R3, offset));
        else
        {
            var source = Value(R4);
            Emit(source is { } s ? Asm.Store(Stx(size), R3, offset, s) : Asm.Store(St(size), R3, offset, Pick(Constants)));
        }
    }

    void Atomic()
    {
        var dw = Chance(2);
        var operation = Pick<int>(Bpf.ADD, Bpf.OR, Bpf.AND, Bpf.XOR, Bpf.ADD | Bpf.FETCH, Bpf.OR | Bpf.FETCH, Bpf.XCHG, Bpf.CMPXCHG);
        Register target;
        switch (random.Next(3))
        {
            case 0: target = R10; break;
            case 1: Scalar(R2); Emit(Asm.Mov64(R3, R10), Asm.Alu(Opcode.Add64Reg, R3, R2)); target = R3; break;
            default: LookupMap(nullCheck: true); target = R0; break;
        }
        if (target == R10 && Chance(2)) Emit(Asm.Store(dw ? Opcode.StDw : Opcode.StW, R10, StackOffset(dw ? 8 : 4), 0));
        if (Value(R4) is null) Emit(Asm.Mov64(R4, Pick(Constants)));
        if (operation == Bpf.CMPXCHG && target != R0) Scalar(R0);
        var offset = target == R0 ? (short)Pick(0, 4, 8, 40, 44, 48, 2) : StackOffset(dw ? 8 : 4);
        Emit(Asm.Atomic(dw ? Opcode.AtomicDw : Opcode.AtomicW, target, offset, R4, operation));
    }

    /// <summary>A load-acquire or store-release of any size: on the stack (fixed or variable offset), a map value,
    /// the context or the packet pointer.</summary>
    void OrderedAccess()
    {
        var size = Size();
        Register target;
        switch (random.Next(5))
        {
            case 0: target = R10; break;
            case 1: Scalar(R2); Emit(Asm.Mov64(R3, R10), Asm.Alu(Opcode.Add64Reg, R3, R2)); target = R3; break;
            case 2: target = R6; break;
            default: LookupMap(nullCheck: !Chance(6)); target = R0; break;
        }
        var offset = target switch
        {
            R0 => (short)Pick(0, 1, 2, 4, 8, 44, 48),
            R6 => (short)Pick(0, 8, 48, 76),
            _ => Chance(5) ? (short)-random.Next(1, 17) : StackOffset(size),
        };
        var op = (Opcode)(Bpf.STX | Bpf.ATOMIC | size switch { 1 => Bpf.B, 2 => Bpf.H, 4 => Bpf.W, _ => Bpf.DW });
        if (Chance(2))
        {
            if (target == R10 && Chance(2)) Emit(Asm.Store(Opcode.StDw, R10, (short)(offset & ~7), 0));
            Emit(Asm.Atomic(op, R4, offset, target, Bpf.LOAD_ACQ));
            return;
        }
        if (Value(R4) is null) Emit(Asm.Mov64(R4, Pick(Constants)));
        Emit(Asm.Atomic(op, target, offset, R4, Bpf.STORE_REL));
    }

    /// <summary>for (r8 = c; r8 &lt; bound &amp;&amp; can_loop; r8++) fp[r8 - 16] = b, whose index the stack write makes precise
    /// (the verifiers walk each iteration, so bounds stay small), or for (r8 = c; can_loop; r8++) with nothing relying
    /// on r8, which only widening ends.</summary>
    void MayGotoLoop()
    {
        Emit(Asm.Mov64(R8, Pick(0, 1, 7)));
        var head = code.Here(0);
        var after = 0;
        code.EmitJump(0, new Instruction(Opcode.MayGoto, R0, R0, 0, 0), () => after);
        if (Chance(2))
        {
            code.EmitJump(0, Asm.Jump(Opcode.JgeImm, R8, Pick(4, 8, 16, 17), 0), () => after);
            Emit(Asm.Mov64(R3, R8));
            if (Chance(3)) Emit(Asm.Alu(Opcode.And64Imm, R3, Pick(7, 15)));
            Emit(Asm.Alu(Opcode.Add64Reg, R3, R10), Asm.Store(Opcode.StB, R3, -16, Pick(0, 1)));
        }
        Emit(Asm.Add64(R8, 1));
        code.EmitJump(0, Asm.Ja(0), () => head);
        after = code.Here(0);
    }

    void Shift()
    {
        var op = Pick(Opcode.Lsh64Reg, Opcode.Rsh64Reg, Opcode.Arsh64Reg, Opcode.Lsh32Reg, Opcode.Rsh32Reg, Opcode.Arsh32Reg,
            Opcode.Lsh64Imm, Opcode.Rsh64Imm, Opcode.Arsh64Imm, Opcode.Lsh32Imm, Opcode.Rsh32Imm);
        Scalar(R2);
        if (Bpf.Source((byte)op) == Bpf.X) { Scalar(R3); Emit(Asm.Alu(op, R2, R3)); }
        else Emit(Asm.Alu(op, R2, Chance(8) ? random.Next(32, 70) : random.Next(0, 32)));
        // The result as a stack offset: its bounds decide the access.
        Emit(Asm.Mov64(R4, R10), Asm.Alu(Opcode.Add64Reg, R4, R2), Asm.Store(Opcode.StB, R4, (short)Pick(-1, -8, -512), 0));
    }

    void PointerArithmetic()
    {
        switch (random.Next(3))
        {
            case 0: Pointer(R2); break;
            case 1: LookupMap(nullCheck: Chance(4) ? false : true); Emit(Asm.Mov64(R2, R0)); break;
            default:
                if (type == ProgramType.SchedCls) Emit(Asm.Load(Opcode.LdxW, R2, R6, Pick(SkbData, SkbDataEnd, SkbDataMeta)));
                else Pointer(R2);
                break;
        }
        var op = Pick(Opcode.Add64Imm, Opcode.Sub64Imm, Opcode.Add64Reg, Opcode.Sub64Reg, Opcode.Add32Imm, Opcode.Sub32Imm, Opcode.Mul64Imm,
            Opcode.And64Imm, Opcode.Or64Reg, Opcode.Xor64Imm, Opcode.Lsh64Imm, Opcode.Neg64, Opcode.Mov32Reg, Opcode.Add64Reg);
        if (Bpf.Source((byte)op) == Bpf.X)
        {
            if (Chance(5)) Pointer(R3); else Scalar(R3);
            Emit(Asm.Alu(op, R2, R3));
        }
        else Emit(Asm.Alu(op, R2, op is Opcode.Lsh64Imm ? random.Next(0, 8) : Pick(Constants)));
        switch (random.Next(4))
        {
            case 0: Emit(Asm.Load(Ldx(Size()), R0, R2, (short)Pick(0, 4, 8, -8, 44))); break;
            case 1: Emit(Asm.Store(Opcode.StxDw, R10, StackOffset(8), R2)); break;
            case 2: Emit(Asm.Mov64(R0, R2)); break; // returned at the end only if nothing overwrites r0
            default: Emit(Asm.Store(St(Size()), R2, (short)Pick(0, 4, -4, 8), 1)); break;
        }
    }

    void Packet()
    {
        var meta = Chance(6);
        Emit(Asm.Load(Opcode.LdxW, R2, R6, meta ? SkbDataMeta : SkbData), Asm.Load(Opcode.LdxW, R3, R6, meta ? SkbData : SkbDataEnd));
        if (Chance(3)) { Scalar(R5); Emit(Asm.Alu(Opcode.Add64Reg, R2, R5)); }
        var checkedBytes = Pick(0, 1, 2, 4, 8, 14, 20, 64, 0xffff, 0x10000);
        Emit(Asm.Mov64(R4, R2), Asm.Add64(R4, checkedBytes));
        var end = 0;
        var (jump, left, right) = random.Next(4) switch
        {
            0 => (Opcode.JgtReg, R4, R3),
            1 => (Opcode.JgeReg, R4, R3),
            2 => (Opcode.JltReg, R3, R4),
            _ => (Opcode.JleReg, R3, R4),
        };
        code.EmitJump(0, Asm.Jump(jump, left, right, 0), () => end);
        var size = Size();
        var offset = (short)Pick(0, 0, 1, 2, checkedBytes - size, checkedBytes - size + 1, -1, 12, 14);
        if (Chance(3)) Emit(Asm.Store(Stx(size), R2, offset, R7));
        else Emit(Asm.Load(Ldx(size), R0, R2, offset));
        if (Chance(4)) HelperMemoryOn(R2, Pick(1, 4, 8, checkedBytes, checkedBytes + 1));
        end = code.Here(0);
    }

    /// <summary>r0 = a map value (or NULL), looked up with a key on the stack.</summary>
    void LookupMap(bool nullCheck)
    {
        if (!Chance(8)) Emit(Asm.Store(Opcode.StW, R10, -4, Pick(0, 1, 3, 4)));
        Emit(Asm.Mov64(R2, R10), Asm.Add64(R2, Chance(8) ? Pick(-8, -2, -512) : -4));
        Emit(Asm.LoadImm64(R1, 0, Bpf.PSEUDO_MAP_FD));
        Emit(Asm.CallHelper(1));
        if (!nullCheck) return;
        var end = 0;
        code.EmitJump(0, Asm.Jump(Opcode.JneImm, R0, 0, 0), () => end);
        Emit(Asm.Mov64(R0, 0), Asm.Exit());
        end = code.Here(0);
    }

    void MapValue()
    {
        LookupMap(nullCheck: !Chance(5));
        if (Chance(2)) { Scalar(R3); Emit(Asm.Alu(Opcode.Add64Reg, R0, R3)); }
        var size = Size();
        var offset = (short)Pick(0, 4, 8, MapValueSize - size, MapValueSize - size + 1, MapValueSize, -1, 3);
        if (Chance(2)) Emit(Asm.Load(Ldx(size), R1, R0, offset));
        else
        {
            var source = Value(R1);
            Emit(source is { } s ? Asm.Store(Stx(size), R0, offset, s) : Asm.Store(St(size), R0, offset, 7));
        }
        if (Chance(3)) { Emit(Asm.Mov64(R2, R0)); HelperMemoryOn(R2, Pick(1, 8, MapValueSize, MapValueSize + 1)); }
    }

    void HelperMemory()
    {
        switch (random.Next(3))
        {
            case 0: Emit(Asm.Mov64(R2, R10), Asm.Add64(R2, StackOffset(1))); break;
            case 1: Scalar(R4); Emit(Asm.Mov64(R2, R10), Asm.Alu(Opcode.Add64Reg, R2, R4), Asm.Add64(R2, StackOffset(8))); break;
            default: Scalar(R2); break;
        }
        if (Chance(2)) { HelperMemoryOn(R2, Pick(0, 1, 4, 8, 16, 64, 512, 513)); return; }
        // A size from a register: bounded, unbounded, possibly zero.
        Scalar(R4);
        Emit(Asm.Mov64(R3, R2), Asm.Mov64(R1, R6), Asm.Mov64(R2, Pick(0, 14)));
        Emit(Asm.CallHelper(26)); // bpf_skb_load_bytes(ctx, offset, to, len)
    }

    /// <summary>A helper given <paramref name="size"/> bytes at the pointer in <paramref name="pointer"/>.</summary>
    void HelperMemoryOn(Register pointer, int size)
    {
        if (Chance(2))
        {
            Emit(Asm.Mov64(R3, pointer), Asm.Mov64(R4, size), Asm.Mov64(R1, R6), Asm.Mov64(R2, 0));
            Emit(Asm.CallHelper(26)); // bpf_skb_load_bytes writes the memory
        }
        else
        {
            Emit(Asm.Mov64(R1, pointer), Asm.Mov64(R2, size), Asm.Mov64(R3, 0), Asm.Mov64(R4, 0), Asm.Mov64(R5, 0));
            Emit(Asm.CallHelper(28)); // bpf_csum_diff reads it
        }
    }

    void Context()
    {
        var size = Size();
        var offset = (short)(Chance(2) ? Pick(0, 4, 8, 16, 24, 48, 52, 56, 60, 76, 80, 140, 144, 168, 176) : random.Next(-8, 200));
        if (Chance(3))
        {
            var source = Value(R2);
            Emit(source is { } s ? Asm.Store(Stx(size), R6, offset, s) : Asm.Store(St(size), R6, offset, 1));
        }
        else Emit(Asm.Load(Ldx(size), R2, R6, offset));
    }

    /// <summary>A number spilled at one width, bounded, and filled at another, then used as a stack offset: the
    /// link between a register and its spill.</summary>
    void SpillFill()
    {
        Scalar(R2);
        var spill = Size();
        var offset = StackOffset(spill);
        Emit(Asm.Store(Stx(spill), R10, offset, R2));
        var end = 0;
        code.EmitJump(0, Asm.Jump(Pick(Opcode.JgtImm, Opcode.JsgtImm, Opcode.Jgt32Imm), R2, Pick(8, 64, 255, 511), 0), () => end);
        var fill = Size();
        Emit(Asm.Load(Ldx(fill), R3, R10, (short)(offset + Pick(0, 0, 0, 4, 1))));
        Emit(Asm.Mov64(R4, R10), Asm.Alu(Opcode.Sub64Reg, R4, R3), Asm.Store(Opcode.StB, R4, (short)Pick(-1, -8, -16), 0));
        end = code.Here(0);
    }

    short StackOffset(int size) =>
        (short)(random.Next(6) switch
        {
            0 => random.Next(-520, 8),
            1 => -size * random.Next(1, 4) + Pick(1, 2, 3, 4),
            2 => -512,
            _ => -size * random.Next(1, 520 / size),
        });

    int Size() => Pick(1, 2, 4, 8, 8, 4);

    static Opcode Ldx(int size) => size switch { 1 => Opcode.LdxB, 2 => Opcode.LdxH, 4 => Opcode.LdxW, _ => Opcode.LdxDw };

    static Opcode Ldxs(int size) => size switch { 1 => Opcode.LdxsB, 2 => Opcode.LdxsH, 4 => Opcode.LdxsW, _ => Opcode.LdxDw };

    static Opcode Stx(int size) => size switch { 1 => Opcode.StxB, 2 => Opcode.StxH, 4 => Opcode.StxW, _ => Opcode.StxDw };

    static Opcode St(int size) => size switch { 1 => Opcode.StB, 2 => Opcode.StH, 4 => Opcode.StW, _ => Opcode.StDw };

    void Emit(params Instruction[] slots) => code.Emit(0, slots);

    bool Chance(int oneIn) => random.Next(oneIn) == 0;

    T Pick<T>(params T[] items) => items[random.Next(items.Length)];
}
