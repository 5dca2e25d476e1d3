using BpfSharp.Isa;

namespace BpfSharp.Verification.State;

/// <summary>What a comparison's outcome teaches about its operands (the kernel's <c>is_branch_taken</c> and
/// <c>reg_set_min_max</c>): the bounds each operand must have for the comparison to come out one way. An outcome no
/// values can give is reported impossible, so that branch is not explored.</summary>
internal static class Comparisons
{
    /// <summary>Whether the branch can come out as <paramref name="outcome"/>, decided as the kernel decides it
    /// (<c>is_scalar_branch_taken</c>: one bound of each domain at a time, JSET from the known bits); if it can, the
    /// operands refined by it (<c>regs_refine_cond_op</c>, <c>reg_bounds_sync</c>). Refined bounds that contradict
    /// each other do not end the path: like the kernel (<c>reg_bounds_sanity_check</c>), the register is then
    /// unbounded and the path goes on, so that code the kernel checks is checked here too.</summary>
    public static bool Refine(byte op, bool is32, ref Scalar a, ref Scalar b, bool outcome, out Scalar newA, out Scalar newB)
    {
        newA = a;
        newB = b;
        var taken = BranchTaken(op, is32, a, b);
        if (taken == (outcome ? 0 : 1)) return false;
        // A decided branch teaches nothing: the kernel refines only undecided ones (check_cond_jmp_op), which
        // matters where refining forgets (JSET not taken).
        if (taken >= 0) return true;
        if (!outcome) op = Negate(op, out _) ?? op;
        if (op == Bpf.JSET || op == NotSet) RefineSet(op == Bpf.JSET, is32, ref newA, ref newB);
        else if (is32)
        {
            var signed = op is Bpf.JSGT or Bpf.JSGE or Bpf.JSLT or Bpf.JSLE;
            var (a32, b32) = signed ? (a.SignExtend32(), b.SignExtend32()) : (a.ZeroExtend32(), b.ZeroExtend32());
            if (Constrain(op, ref a32, ref b32))
            {
                newA = WithLow(a, a32, signed);
                newB = WithLow(b, b32, signed);
            }
            else (newA, newB) = (Unbounded(a), Unbounded(b));
        }
        else if (!Constrain(op, ref newA, ref newB)) (newA, newB) = (Unbounded(a), Unbounded(b));
        newA = Sane(newA);
        newB = Sane(newB);
        return true;
    }

    /// <summary>The kernel's <c>is_scalar_branch_taken</c>: 1 when the jump is always taken, 0 when never, -1 when
    /// either may happen.</summary>
    public static int BranchTaken(byte op, bool is32, Scalar a, Scalar b)
    {
        var (t1, t2) = is32 ? (a.Bits.Subreg, b.Bits.Subreg) : (a.Bits, b.Bits);
        ulong umin1 = is32 ? a.U32Min : a.UMin, umax1 = is32 ? a.U32Max : a.UMax;
        ulong umin2 = is32 ? b.U32Min : b.UMin, umax2 = is32 ? b.U32Max : b.UMax;
        long smin1 = is32 ? a.S32Min : a.SMin, smax1 = is32 ? a.S32Max : a.SMax;
        long smin2 = is32 ? b.S32Min : b.SMin, smax2 = is32 ? b.S32Max : b.SMax;
        switch (op)
        {
            case Bpf.JEQ or Bpf.JNE:
            {
                var equal = op == Bpf.JEQ ? 1 : 0;
                if (t1.IsConst && t2.IsConst) return t1.Value == t2.Value ? equal : 1 - equal;
                if (umin1 > umax2 || umax1 < umin2 || smin1 > smax2 || smax1 < smin2) return 1 - equal;
                if (!is32 && (a.U32Min > b.U32Max || a.U32Max < b.U32Min || a.S32Min > b.S32Max || a.S32Max < b.S32Min)) return 1 - equal;
                return -1;
            }
            case Bpf.JSET:
            {
                if (!t2.IsConst) (t1, t2) = (t2, t1);
                if (!t2.IsConst) return -1;
                if ((~t1.Mask & t1.Value & t2.Value) != 0) return 1;
                if (((t1.Mask | t1.Value) & t2.Value) == 0) return 0;
                return -1;
            }
            case Bpf.JGT: return umin1 > umax2 ? 1 : umax1 <= umin2 ? 0 : -1;
            case Bpf.JSGT: return smin1 > smax2 ? 1 : smax1 <= smin2 ? 0 : -1;
            case Bpf.JLT: return umax1 < umin2 ? 1 : umin1 >= umax2 ? 0 : -1;
            case Bpf.JSLT: return smax1 < smin2 ? 1 : smin1 >= smax2 ? 0 : -1;
            case Bpf.JGE: return umin1 >= umax2 ? 1 : umax1 < umin2 ? 0 : -1;
            case Bpf.JSGE: return smin1 >= smax2 ? 1 : smax1 < smin2 ? 0 : -1;
            case Bpf.JLE: return umax1 <= umin2 ? 1 : umin1 > umax2 ? 0 : -1;
            case Bpf.JSLE: return smax1 <= smin2 ? 1 : smin1 > smax2 ? 0 : -1;
            default: return -1;
        }
    }

    /// <summary>The kernel's <c>__mark_reg_unbounded</c>: every range whole, the known bits kept.</summary>
    static Scalar Unbounded(Scalar s) => Scalar.Unknown with { Bits = s.Bits };

    /// <summary><c>reg_bounds_sanity_check</c>: bounds that contradict each other, or a constant they do not hold,
    /// give an unbounded register.</summary>
    static Scalar Sane(Scalar s) =>
        s.IsEmpty || s.Bits.IsConst && (s.UMin != s.Bits.Value || s.UMax != s.Bits.Value) ? Unbounded(s) : s;

    /// <summary>A pseudo-op for "(a &amp; b) == 0", the negation of JSET.</summary>
    const byte NotSet = 0xff;

    static byte? Negate(byte op, out bool set)
    {
        set = false;
        return op switch
        {
            Bpf.JEQ => Bpf.JNE, Bpf.JNE => Bpf.JEQ,
            Bpf.JGT => Bpf.JLE, Bpf.JLE => Bpf.JGT, Bpf.JGE => Bpf.JLT, Bpf.JLT => Bpf.JGE,
            Bpf.JSGT => Bpf.JSLE, Bpf.JSLE => Bpf.JSGT, Bpf.JSGE => Bpf.JSLT, Bpf.JSLT => Bpf.JSGE,
            Bpf.JSET => NotSet,
            _ => null,
        };
    }

    /// <summary>Tightens both operands so that <c>a op b</c> holds (64-bit view).</summary>
    static bool Constrain(byte op, ref Scalar a, ref Scalar b)
    {
        switch (op)
        {
            case Bpf.JEQ:
            {
                var both = Intersect(a, b);
                a = both;
                b = both;
                break;
            }
            case Bpf.JNE:
                if (a.IsConst && b.IsConst) return a.Value != b.Value;
                if (b.IsConst) a = Exclude(a, b.Value);
                else if (a.IsConst) b = Exclude(b, a.Value);
                break;
            case Bpf.JGT:
                if (a.UMax == 0 || b.UMin == ulong.MaxValue) return false;
                a = a with { UMin = Math.Max(a.UMin, b.UMin + 1) };
                b = b with { UMax = Math.Min(b.UMax, a.UMax - 1) };
                break;
            case Bpf.JGE:
                a = a with { UMin = Math.Max(a.UMin, b.UMin) };
                b = b with { UMax = Math.Min(b.UMax, a.UMax) };
                break;
            case Bpf.JLT:
                if (a.UMin == ulong.MaxValue || b.UMax == 0) return false;
                a = a with { UMax = Math.Min(a.UMax, b.UMax - 1) };
                b = b with { UMin = Math.Max(b.UMin, a.UMin + 1) };
                break;
            case Bpf.JLE:
                a = a with { UMax = Math.Min(a.UMax, b.UMax) };
                b = b with { UMin = Math.Max(b.UMin, a.UMin) };
                break;
            case Bpf.JSGT:
                if (a.SMax == long.MinValue || b.SMin == long.MaxValue) return false;
                a = a with { SMin = Math.Max(a.SMin, b.SMin + 1) };
                b = b with { SMax = Math.Min(b.SMax, a.SMax - 1) };
                break;
            case Bpf.JSGE:
                a = a with { SMin = Math.Max(a.SMin, b.SMin) };
                b = b with { SMax = Math.Min(b.SMax, a.SMax) };
                break;
            case Bpf.JSLT:
                if (a.SMin == long.MaxValue || b.SMax == long.MinValue) return false;
                a = a with { SMax = Math.Min(a.SMax, b.SMax - 1) };
                b = b with { SMin = Math.Max(b.SMin, a.SMin + 1) };
                break;
            case Bpf.JSLE:
                a = a with { SMax = Math.Min(a.SMax, b.SMax) };
                b = b with { SMin = Math.Max(b.SMin, a.SMin) };
                break;
            default:
                return true;
        }
        if (a.IsEmpty || b.IsEmpty) return false;
        a = a.Sync();
        b = b.Sync();
        return !a.IsEmpty && !b.IsEmpty;
    }

    static Scalar Intersect(Scalar a, Scalar b)
    {
        // Known bits that disagree make equality impossible: an empty range says so.
        if (((a.Bits.Value ^ b.Bits.Value) & ~a.Bits.Mask & ~b.Bits.Mask) != 0) return a with { UMin = 1, UMax = 0 };
        return new Scalar(a.Bits.Intersect(b.Bits), Math.Max(a.SMin, b.SMin), Math.Min(a.SMax, b.SMax), Math.Max(a.UMin, b.UMin),
            Math.Min(a.UMax, b.UMax), Math.Max(a.S32Min, b.S32Min), Math.Min(a.S32Max, b.S32Max), Math.Max(a.U32Min, b.U32Min),
            Math.Min(a.U32Max, b.U32Max)).Sync();
    }

    /// <summary>Removes one value where it is an end of the range.</summary>
    static Scalar Exclude(Scalar a, ulong value)
    {
        if (a.UMin == value && a.UMin < a.UMax) a = a with { UMin = value + 1 };
        else if (a.UMax == value && a.UMax > a.UMin) a = a with { UMax = value - 1 };
        else if (a.UMin == value && a.UMax == value) return a with { UMin = 1, UMax = 0 };
        if (a.SMin == (long)value && a.SMin < a.SMax) a = a with { SMin = (long)value + 1 };
        else if (a.SMax == (long)value && a.SMax > a.SMin) a = a with { SMax = (long)value - 1 };
        return a.Sync();
    }

    /// <summary>JSET's refinement: taken, a single-bit constant is known set in the other operand; not taken, the
    /// constant's bits are known clear in it and its ranges start again from its known bits.</summary>
    static void RefineSet(bool set, bool is32, ref Scalar a, ref Scalar b)
    {
        var (aBits, bBits) = is32 ? (a.Bits.Subreg, b.Bits.Subreg) : (a.Bits, b.Bits);
        if (!bBits.IsConst)
        {
            if (!aBits.IsConst) return;
            (a, b) = (b, a);
            RefineSet(set, is32, ref a, ref b);
            (a, b) = (b, a);
            return;
        }
        var value = bBits.Value;
        Tnum refined;
        if (set)
        {
            if (value == 0 || (value & (value - 1)) != 0) return;
            refined = new Tnum(aBits.Value | value, aBits.Mask & ~value);
        }
        else
        {
            // The kernel forgets the ranges before it narrows the known bits here, so that a dead branch cannot
            // contradict them; only what the bits say is kept.
            refined = new Tnum(aBits.Value & ~value, aBits.Mask & ~value);
            a = Unbounded(a);
        }
        a = (a with { Bits = is32 ? a.Bits.WithSubreg(refined) : refined }).Sync();
    }

    /// <summary>Puts the bounds learnt on the 32-bit view (sign- or zero-extended low half) back into the full scalar.</summary>
    static Scalar WithLow(Scalar s, Scalar low, bool signed)
    {
        var bits = s.Bits.WithSubreg(low.Bits.Subreg);
        var refined = signed
            ? s with { Bits = bits, S32Min = Math.Max(s.S32Min, (int)low.SMin), S32Max = Math.Min(s.S32Max, (int)low.SMax) }
            : s with { Bits = bits, U32Min = Math.Max(s.U32Min, (uint)low.UMin), U32Max = Math.Min(s.U32Max, (uint)low.UMax) };
        return refined.Sync();
    }
}
