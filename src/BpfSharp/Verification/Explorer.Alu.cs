using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    static readonly string[] aluNames = ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian"];

    static string AluName(byte op) => aluNames[op >> 4];

    /// <summary>ALU and ALU64 (<c>check_alu_op</c>, <c>adjust_reg_min_max_vals</c>).</summary>
    void Alu(VerifierState state, Instruction insn, int pc)
    {
        var regs = state.Registers;
        var op = Bpf.Op((byte)insn.Opcode);
        var is64 = insn.Class == Bpf.ALU64;
        var dst = (int)insn.Dst;
        var useSource = Bpf.Source((byte)insn.Opcode) == Bpf.X;

        if (op == Bpf.MOV)
        {
            Move(state, insn, pc, is64, useSource);
            return;
        }
        if (op is Bpf.NEG or Bpf.END)
        {
            var value = Read(state, dst, pc);
            // The kernel tracks a negation as 0 - x; a pointer's negation or byte swap is an unknown number to root.
            regs[dst] = RegisterState.ScalarOf(!value.IsScalar ? Unknown(is64)
                : op == Bpf.NEG ? ScalarAlu.Apply(Bpf.SUB, Scalar.Const(0), value.Value, is64, false)
                : ScalarAlu.Swap(value.Value, insn.Imm, truncateOnly: insn.Opcode == Opcode.Le && BitConverter.IsLittleEndian));
            return;
        }
        if (op is Bpf.DIV or Bpf.MOD && !useSource && insn.Imm == 0)
            throw Fail(pc, "div by zero", state, "a division or modulo by the constant 0");

        var left = Read(state, dst, pc);
        var right = useSource ? Read(state, (int)insn.Src, pc)
            : RegisterState.Const(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
        if (left.IsPointer || right.IsPointer)
        {
            regs[dst] = PointerArithmetic(state, insn, pc, op, is64, left, right);
            return;
        }
        if (op is Bpf.AND or Bpf.OR && right.Value.IsConst && SignMaskWidth(left.Value) is { } width)
            left = ForkSignMask(state, pc, dst, left, width);
        var result = RegisterState.ScalarOf(ScalarAlu.Apply(op, left.Value, right.Value, is64, insn.Offset == 1));
        // rX += const keeps rX linked to what it was copied from, once, by a constant that fits in 32 bits
        // (adjust_reg_min_max_vals); any other operation ends the link.
        if (op == Bpf.ADD && is64 && left.Id != 0 && right.Value.IsConst && (left.Id & RegisterState.AddConst) == 0
            && (long)right.Value.Value == (int)(long)right.Value.Value)
            result = result with { Id = left.Id | RegisterState.AddConst, Offset = (int)(long)right.Value.Value };
        regs[dst] = result;
    }

    /// <summary>64 when the register's signed range is exactly [-1, 0], else 32 when its low half's is: a sign mask
    /// (<c>x s>>= 63</c>), which clang and'ed or or'ed with a constant makes of <c>x &lt; 0 ? K : 0</c>.</summary>
    static int? SignMaskWidth(Scalar value) =>
        value is { SMin: -1, SMax: 0 } ? 64 : value is { S32Min: -1, S32Max: 0 } ? 32 : null;

    /// <summary><c>maybe_fork_scalars</c>: one register cannot hold "0 or K", so the path splits at the instruction.
    /// Another path runs it again from 0 (so an OR gives K, not 0: CVE-2026-31413); this one goes on from -1. The
    /// 32-bit split leaves the high half and the 64-bit bounds as they were, and the register's links.</summary>
    RegisterState ForkSignMask(VerifierState state, int pc, int dst, RegisterState mask, int width)
    {
        var other = state.Clone(spares, CopyHistory.WithoutLast); // it reaches this instruction anew
        other.Registers[dst] = width == 64 ? RegisterState.Const(0) : mask with { Value = Low32Known(mask.Value, 0) };
        Fork(pc, other);
        return width == 64 ? RegisterState.Const(ulong.MaxValue) : mask with { Value = Low32Known(mask.Value, uint.MaxValue) };

        static Scalar Low32Known(Scalar value, uint low) => value with
        {
            Bits = value.Bits.WithSubreg(Tnum.Const(low)), S32Min = (int)low, S32Max = (int)low, U32Min = low, U32Max = low,
        };
    }

    static Scalar Unknown(bool is64) => is64 ? Scalar.Unknown : Scalar.UnsignedRange(0, uint.MaxValue);

    void Move(VerifierState state, Instruction insn, int pc, bool is64, bool useSource)
    {
        var regs = state.Registers;
        var dst = (int)insn.Dst;
        if (!useSource)
        {
            regs[dst] = RegisterState.Const(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
            return;
        }
        var src = (int)insn.Src;
        var value = Read(state, src, pc);
        if (insn.Offset != 0)
        {
            // Sign-extending part of a pointer leaks it ("sign-extension part of pointer") only to unprivileged
            // programs; root gets an unknown number.
            regs[dst] = RegisterState.ScalarOf(value.IsScalar ? ScalarAlu.SignExtend(value.Value, insn.Offset, is64) : Unknown(is64));
            return;
        }
        if (!is64)
        {
            // A number that fits in 32 bits is copied whole, and the copy is linked to it; a wider one loses its
            // high half and the link. A 32-bit copy of a pointer leaks half an address: the privileged kernel allows
            // it as an unknown number.
            if (value.IsScalar && Width(value.Value) <= 32)
            {
                regs[(int)insn.Src] = value = WithId(value);
                regs[dst] = value;
            }
            else regs[dst] = RegisterState.ScalarOf(value.IsScalar ? value.Value.ZeroExtend32() : Unknown(false));
            return;
        }
        // Copies of a scalar share an id: a bound learnt on one holds for the others (find_equal_scalars).
        if (value.IsScalar) regs[src] = value = WithId(value);
        regs[dst] = value;
    }

    /// <summary>Arithmetic with a pointer operand (<c>adjust_ptr_min_max_vals</c>), as the kernel allows it to
    /// privileged programs, its checks in the kernel's order (the first that fails names the refusal).</summary>
    RegisterState PointerArithmetic(VerifierState state, Instruction insn, int pc, byte op, bool is64, RegisterState left, RegisterState right)
    {
        var dst = (int)insn.Dst;
        if (left.IsPointer && right.IsPointer)
        {
            if (op == Bpf.SUB) return RegisterState.UnknownScalar; // the distance between two pointers
            throw Fail(pc, $"R{dst} pointer {AluName(op)} pointer prohibited", state, "two pointers can only be subtracted");
        }
        var (pointer, offset) = left.IsPointer ? (left, right) : (right, left);
        // The number becomes part of the pointer's offset: its exact range matters from now on.
        if (Bpf.Source((byte)insn.Opcode) == Bpf.X) MarkPrecise(state, left.IsPointer ? (int)insn.Src : dst);
        if (!is64)
        {
            // 32-bit ALU on a pointer gives a meaningless number; root may subtract (a leak it is trusted with).
            if (op == Bpf.SUB) return RegisterState.ScalarOf(Unknown(false));
            throw Fail(pc, $"R{dst} 32-bit pointer arithmetic prohibited", state, "pointer arithmetic must use 64-bit operations");
        }
        // Reads through it are probe loads that check nothing: its offset is not tracked (Linux 6.17).
        if (pointer.Kind == RegisterKind.UntrustedMemory && is64) return pointer;
        if (pointer.IsNullable)
            throw Fail(pc, $"R{dst} pointer arithmetic on {KindName(pointer)} prohibited, null-check it first", state,
                "check the pointer against NULL before moving it");
        var addsZero = offset.Value.IsConst && offset.Value.Value == 0 && op == Bpf.ADD;
        if (pointer.Kind is RegisterKind.PacketEnd or RegisterKind.Function || pointer.IsSocket
            || (pointer.Kind == RegisterKind.MapPointer && !addsZero))
            throw Fail(pc, $"R{dst} pointer arithmetic on {KindName(pointer.Kind)} prohibited", state);
        CheckSaneOffset(state, pc, pointer.Kind, offset.Value, 0);
        CheckSaneOffset(state, pc, pointer.Kind, pointer.Value, pointer.Offset);
        if (op == Bpf.SUB && !left.IsPointer)
            throw Fail(pc, $"R{dst} tried to subtract pointer from scalar", state);
        if (op == Bpf.SUB && pointer.Kind == RegisterKind.Stack)
            throw Fail(pc, $"R{dst} subtraction from stack pointer prohibited", state,
                "move a stack pointer by adding a negative number (r1 += -8), never by subtracting");
        if (op is not (Bpf.ADD or Bpf.SUB))
            throw Fail(pc, op is Bpf.AND or Bpf.OR or Bpf.XOR
                    ? $"R{dst} bitwise operator {AluName(op)} on pointer prohibited"
                    : $"R{dst} pointer arithmetic with {AluName(op)} operator prohibited", state,
                "only adding or subtracting a number moves a pointer");

        var delta = offset.Value;
        if (op == Bpf.SUB) delta = ScalarAlu.Apply(Bpf.SUB, Scalar.Const(0), delta, true, false);
        RegisterState moved;
        if (delta.IsConst && (long)pointer.Offset + (long)delta.Value is var sum && sum == (int)sum)
            moved = pointer with { Offset = (int)sum };
        else
        {
            moved = pointer with { Value = ScalarAlu.Apply(Bpf.ADD, pointer.Value, delta, true, false) };
            // A packet pointer moved by an unknown amount has not been checked against data_end yet.
            if (pointer.IsPacket) moved = moved with { Id = NewId(), Range = 0 };
        }
        CheckSaneOffset(state, pc, moved.Kind, moved.Value, moved.Offset);
        return moved;
    }

    /// <summary><c>check_reg_sane_offset</c>: a pointer's fixed and variable offsets, and a number added to one,
    /// stay within ±2^29 (BPF_MAX_VAR_OFF), so that later sums cannot overflow.</summary>
    void CheckSaneOffset(VerifierState state, int pc, RegisterKind kind, Scalar value, int fixedOffset)
    {
        const long MaxVarOff = 1 << 29;
        var name = KindName(kind);
        if (value.IsConst && ((long)value.Value >= MaxVarOff || (long)value.Value <= -MaxVarOff))
            throw Fail(pc, $"math between {name} pointer and {(long)value.Value} is not allowed", state,
                "a pointer may move at most 2^29 bytes");
        if (fixedOffset >= MaxVarOff || fixedOffset <= -MaxVarOff)
            throw Fail(pc, $"{name} pointer offset {fixedOffset} is not allowed", state, "a pointer may move at most 2^29 bytes");
        if (value.SMin == long.MinValue)
            throw Fail(pc, $"math between {name} pointer and register with unbounded min value is not allowed", state,
                "bound the number (e.g. if (x > N) return) before adding it to the pointer");
        if (value.SMin >= MaxVarOff || value.SMin <= -MaxVarOff)
            throw Fail(pc, $"value {value.SMin} makes {name} pointer be out of bounds", state,
                "bound the number before adding it to the pointer");
    }
}
