using BpfSharp.Isa;

namespace BpfSharp.Verification.State;

/// <summary>What a comparison's outcome teaches about its operands (the kernel's <c>is_branch_taken</c> and
/// <c>reg_set_min_max</c>): the bounds each operand must have for the comparison to come out one way. An outcome no
/// values can give is reported impossible, so that branch is not explored.</summary>
internal static class Comparisons
{
    public static bool Refine(byte op, bool is32, ref Scalar a, ref Scalar b, bool outcome, out Scalar newA, out Scalar newB)
    {
        if (!outcome) op = Negate(op, out var isSetNegated) ?? op;
        newA = a;
        newB = b;
        if (op == Bpf.JSET || op == NotSet)
            return RefineSet(op == Bpf.JSET, is32, ref newA, b);
        if (is32)
        {
            var signed = op is Bpf.JSGT or Bpf.JSGE or Bpf.JSLT or Bpf.JSLE;
            var (a32, b32) = signed ? (a.SignExtend32(), b.SignExtend32()) : (a.ZeroExtend32(), b.ZeroExtend32());
            if (!Constrain(op, ref a32, ref b32)) return false;
            newA = WithLow(a, a32, signed);
            newB = WithLow(b, b32, signed);
        }
        else if (!Constrain(op, ref newA, ref newB)) return false;
        return !newA.IsEmpty && !newB.IsEmpty;
    }

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

    static bool RefineSet(bool set, bool is32, ref Scalar a, Scalar b)
    {
        var aBits = is32 ? a.Bits.Subreg : a.Bits;
        var bBits = is32 ? b.Bits.Subreg : b.Bits;
        if (set)
        {
            // Some bit of b may be set in a: impossible if a's possible bits never meet b's.
            return ((aBits.Value | aBits.Mask) & (bBits.Value | bBits.Mask)) != 0;
        }
        // No bit of b is set in a: impossible if a known-set bit meets a known-set bit of b.
        if ((aBits.Value & bBits.Value) != 0) return false;
        if (b.IsConst)
        {
            var cleared = new Tnum(a.Bits.Value & ~b.Value, a.Bits.Mask & ~b.Value);
            a = (a with { Bits = cleared }).Sync();
        }
        return !a.IsEmpty;
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
