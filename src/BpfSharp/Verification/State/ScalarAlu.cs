using BpfSharp.Isa;

namespace BpfSharp.Verification.State;

/// <summary>Arithmetic on abstract scalars (the kernel's <c>adjust_scalar_min_max_vals</c> and <c>scalar_min_max_*</c>):
/// each result holds every value the operation can give for operands in the given ranges. 32-bit operations work on
/// the low halves and zero-extend.</summary>
internal static class ScalarAlu
{
    /// <summary><paramref name="a"/> op <paramref name="b"/> in 64 or 32 bits.</summary>
    public static Scalar Apply(byte op, Scalar a, Scalar b, bool is64, bool signed)
    {
        // is_safe_to_compute_dst_reg_range: the kernel tracks add, sub, mul and the bitwise ops, and shifts by a
        // constant below the width; anything else (division, modulo, a shift by a register that may be too wide)
        // gives an unknown number, constants too.
        if (!SafeToCompute(op, b, is64)) return is64 ? Scalar.Unknown : Scalar.UnsignedRange(0, uint.MaxValue);
        if (a.IsConst && b.IsConst) return Constant(op, a.Value, b.Value, is64, signed);
        if (!is64)
        {
            var result = op == Bpf.ARSH ? Op64(op, a.SignExtend32(), b.ZeroExtend32(), 32, signed) : Op64(op, a.ZeroExtend32(), b.ZeroExtend32(), 32, signed);
            return result.ZeroExtend32();
        }
        return Op64(op, a, b, 64, signed);
    }

    /// <summary><paramref name="a"/> + <paramref name="delta"/> as <c>sync_linked_regs</c> moves a linked register: the
    /// 64-bit bounds and the 32-bit ones each in their own domain (<c>scalar_min_max_add</c> and
    /// <c>scalar32_min_max_add</c>), so that what a 32-bit comparison taught the known register reaches its link.</summary>
    public static Scalar AddLinked(Scalar a, long delta)
    {
        var wide = Apply(Bpf.ADD, a, Scalar.Const((ulong)delta), true, false);
        int d = (int)delta;
        var (s32Min, s32Max) = (long)a.S32Min + d is >= int.MinValue and <= int.MaxValue && (long)a.S32Max + d is >= int.MinValue and <= int.MaxValue
            ? (a.S32Min + d, a.S32Max + d) : (int.MinValue, int.MaxValue);
        var u = (uint)d;
        var (u32Min, u32Max) = a.U32Min > uint.MaxValue - u == a.U32Max > uint.MaxValue - u
            ? (unchecked(a.U32Min + u), unchecked(a.U32Max + u)) : (0u, uint.MaxValue);
        return (wide with
        {
            S32Min = Math.Max(wide.S32Min, s32Min), S32Max = Math.Min(wide.S32Max, s32Max),
            U32Min = Math.Max(wide.U32Min, u32Min), U32Max = Math.Min(wide.U32Max, u32Max),
        }).Sync();
    }

    static bool SafeToCompute(byte op, Scalar b, bool is64)
    {
        var constant = is64 ? b.IsConst && b.SMin == b.SMax && b.UMin == b.UMax
            : b.Bits.Subreg.IsConst && b.S32Min == b.S32Max && b.U32Min == b.U32Max;
        return op switch
        {
            Bpf.ADD or Bpf.SUB or Bpf.MUL or Bpf.AND or Bpf.OR or Bpf.XOR => true,
            Bpf.LSH or Bpf.RSH or Bpf.ARSH => constant && b.UMax < (is64 ? 64UL : 32UL),
            _ => false,
        };
    }

    static Scalar Constant(byte op, ulong a, ulong b, bool is64, bool signed)
    {
        ulong r = op switch
        {
            Bpf.ADD => a + b,
            Bpf.SUB => a - b,
            Bpf.MUL => a * b,
            Bpf.DIV => is64 ? (signed ? AluSemantics.SDiv64(a, b) : AluSemantics.Div64(a, b)) : (signed ? AluSemantics.SDiv32(a, b) : AluSemantics.Div32(a, b)),
            Bpf.MOD => is64 ? (signed ? AluSemantics.SMod64(a, b) : AluSemantics.Mod64(a, b)) : (signed ? AluSemantics.SMod32(a, b) : AluSemantics.Mod32(a, b)),
            Bpf.OR => a | b,
            Bpf.AND => a & b,
            Bpf.XOR => a ^ b,
            Bpf.LSH => is64 ? a << (int)(b & 63) : (uint)a << (int)(b & 31),
            Bpf.RSH => is64 ? a >> (int)(b & 63) : (uint)a >> (int)(b & 31),
            Bpf.ARSH => is64 ? (ulong)((long)a >> (int)(b & 63)) : (uint)((int)a >> (int)(b & 31)),
            _ => throw new InvalidOperationException($"not a binary ALU op: 0x{op:x2}"),
        };
        return Scalar.Const(is64 ? r : (uint)r);
    }

    static Scalar Op64(byte op, Scalar a, Scalar b, int width, bool signed) => op switch
    {
        Bpf.ADD => Add(a, b),
        Bpf.SUB => Sub(a, b),
        Bpf.MUL => Mul(a, b),
        Bpf.AND => And(a, b),
        Bpf.OR => Or(a, b),
        Bpf.XOR => Xor(a, b),
        Bpf.LSH when b.IsConst && b.Value < (ulong)width => Lsh(a, (int)b.Value, width),
        Bpf.RSH when b.IsConst && b.Value < (ulong)width => Rsh(a, (int)b.Value),
        Bpf.ARSH when b.IsConst && b.Value < (ulong)width => Arsh(a, (int)b.Value, width),
        _ => Scalar.Unknown,
    };

    static Scalar Add(Scalar a, Scalar b)
    {
        var s = Scalar.Unknown with { Bits = a.Bits.Add(b.Bits) };
        if (!AddOverflows(a.SMin, b.SMin) && !AddOverflows(a.SMax, b.SMax)) s = s with { SMin = a.SMin + b.SMin, SMax = a.SMax + b.SMax };
        // Both ends wrapping (or neither) keeps the range in one piece, modulo 2^64 (scalar_min_max_add since Linux
        // 6.13); only a range some of whose sums wrap covers everything.
        if (a.UMin > ulong.MaxValue - b.UMin == a.UMax > ulong.MaxValue - b.UMax)
            s = s with { UMin = unchecked(a.UMin + b.UMin), UMax = unchecked(a.UMax + b.UMax) };
        return s.Sync();
    }

    static Scalar Sub(Scalar a, Scalar b)
    {
        var s = Scalar.Unknown with { Bits = a.Bits.Sub(b.Bits) };
        if (!SubOverflows(a.SMin, b.SMax) && !SubOverflows(a.SMax, b.SMin)) s = s with { SMin = a.SMin - b.SMax, SMax = a.SMax - b.SMin };
        if (a.UMin < b.UMax == a.UMax < b.UMin)
            s = s with { UMin = unchecked(a.UMin - b.UMax), UMax = unchecked(a.UMax - b.UMin) };
        return s.Sync();
    }

    static Scalar Mul(Scalar a, Scalar b)
    {
        var s = Scalar.Unknown with { Bits = a.Bits.Mul(b.Bits) };
        if (a.SMin >= 0 && b.SMin >= 0 && (b.UMax == 0 || a.UMax <= ulong.MaxValue / b.UMax))
            s = s with { UMin = a.UMin * b.UMin, UMax = a.UMax * b.UMax };
        return s.Sync();
    }

    static Scalar And(Scalar a, Scalar b)
    {
        var bits = a.Bits.And(b.Bits);
        var s = Scalar.Unknown with { Bits = bits, UMin = bits.Value, UMax = Math.Min(a.UMax, b.UMax) };
        // ANDing with a non-negative value gives a non-negative one.
        if (a.SMin >= 0 || b.SMin >= 0) s = s with { SMin = 0 };
        return s.Sync();
    }

    static Scalar Or(Scalar a, Scalar b)
    {
        var bits = a.Bits.Or(b.Bits);
        var s = Scalar.Unknown with { Bits = bits, UMin = Math.Max(a.UMin, b.UMin), UMax = bits.Max };
        if (a.SMin >= 0 && b.SMin >= 0) s = s with { SMin = 0 };
        return s.Sync();
    }

    static Scalar Xor(Scalar a, Scalar b)
    {
        var bits = a.Bits.Xor(b.Bits);
        var s = Scalar.Unknown with { Bits = bits, UMin = bits.Value, UMax = bits.Max };
        if (a.SMin >= 0 && b.SMin >= 0) s = s with { SMin = 0 };
        return s.Sync();
    }

    /// <summary><c>__scalar64_min_max_lsh</c> (and its 32-bit twin on a zero-extended operand): the signed bounds
    /// start over, except those of a non-negative low half shifted by 32; the unsigned ones shift unless the top bit
    /// might be shifted out, which the kernel judges by <c>umax &gt; 1 &lt;&lt; (width - 1 - shift)</c>, a shift
    /// by 0 included.</summary>
    static Scalar Lsh(Scalar a, int shift, int width)
    {
        var s = Scalar.Unknown with { Bits = a.Bits.LShift(shift) };
        if (width == 64 && shift == 32 && a.S32Max >= 0) s = s with { SMax = (long)a.S32Max << 32 };
        if (width == 64 && shift == 32 && a.S32Min >= 0) s = s with { SMin = (long)a.S32Min << 32 };
        if (a.UMax <= 1UL << (width - 1 - shift)) s = s with { UMin = a.UMin << shift, UMax = a.UMax << shift };
        return s.Sync();
    }

    static Scalar Rsh(Scalar a, int shift) =>
        (Scalar.Unknown with { Bits = a.Bits.RShift(shift), UMin = a.UMin >> shift, UMax = a.UMax >> shift }).Sync();

    static Scalar Arsh(Scalar a, int shift, int width) =>
        (Scalar.Unknown with { Bits = a.Bits.ARShift(shift, 64), SMin = a.SMin >> shift, SMax = a.SMax >> shift }).Sync();

    /// <summary>The low 32 bits sign-extended to 64 (the view 32-bit arithmetic shifts work on).</summary>
    public static Scalar SignExtend32(this Scalar a)
    {
        var low = a.Bits.Subreg;
        var sign = 1UL << 31;
        var upper = 0xffff_ffff_0000_0000UL;
        var bits = (low.Mask & sign) != 0 ? new Tnum(low.Value, low.Mask | upper)
            : (low.Value & sign) != 0 ? new Tnum(low.Value | upper, low.Mask) : low;
        return (Scalar.Unknown with { Bits = bits, SMin = a.S32Min, SMax = a.S32Max }).Sync();
    }

    /// <summary>movsx and sign-extending loads: the low 8/16/32 bits sign-extended to 64 (or, for the 32-bit form, to
    /// 32 and zero-extended), as <c>coerce_reg_to_size_sx</c> and <c>coerce_subreg_to_size_sx</c> do it: when every
    /// value agrees above the cut and the extended bounds keep one sign, the range is exact (0x80..0x8f as s8 is
    /// -128..-113); otherwise the whole range of the narrow type.</summary>
    public static Scalar SignExtend(Scalar a, int bits, bool is64)
    {
        var limit = 1L << (bits - 1);
        if (is64)
        {
            if (a.IsConst) return Scalar.Const((ulong)Extend(a.Value, bits));
            if (((ulong)a.SMax >> bits) == ((ulong)a.SMin >> bits) && Narrowed(Extend((ulong)a.SMin, bits), Extend((ulong)a.SMax, bits)) is (long min, long max))
                return new Scalar(Tnum.Range((ulong)min, (ulong)max), min, max, (ulong)min, (ulong)max, (int)min, (int)max, (uint)min, (uint)max).Sync();
            return (Scalar.Unknown with { SMin = -limit, SMax = limit - 1, S32Min = (int)-limit, S32Max = (int)(limit - 1) }).Sync();
        }
        if (a.Is32Const) return Scalar.Const((uint)Extend(a.Value, bits));
        if ((uint)a.S32Max >> bits == (uint)a.S32Min >> bits && Narrowed(Extend((uint)a.S32Min, bits), Extend((uint)a.S32Max, bits)) is (long low, long high))
            return new Scalar(Tnum.Range((ulong)low, (ulong)high).Subreg, 0, 0, 0, 0, (int)low, (int)high, (uint)low, (uint)high).ZeroExtend32();
        return new Scalar(Tnum.Unknown.Subreg, 0, 0, 0, 0, (int)-limit, (int)(limit - 1), 0, uint.MaxValue).ZeroExtend32();

        static long Extend(ulong value, int bits) => bits switch { 8 => (sbyte)value, 16 => (short)value, _ => (int)value };

        // Both ends of one sign: the order may have flipped (0x7f..0x80 as s8 is 127..-128), so sort them.
        static (long Min, long Max)? Narrowed(long x, long y) =>
            (Math.Min(x, y) >= 0) == (Math.Max(x, y) >= 0) ? (Math.Min(x, y), Math.Max(x, y)) : null;
    }

    /// <summary>A byte swap or truncation to <paramref name="width"/> bits: the result's range is only what the width allows.</summary>
    public static Scalar Swap(Scalar a, int width, bool truncateOnly)
    {
        if (a.IsConst)
            return Scalar.Const(truncateOnly ? (width == 64 ? a.Value : a.Value & ((1UL << width) - 1)) : AluSemantics.Swap(a.Value, width));
        if (truncateOnly && width == 64) return a;
        return width == 64 ? Scalar.Unknown : Scalar.UnsignedRange(0, (1UL << width) - 1);
    }

    static bool AddOverflows(long x, long y) => y > 0 ? x > long.MaxValue - y : x < long.MinValue - y;

    static bool SubOverflows(long x, long y) => y < 0 ? x > long.MaxValue + y : x < long.MinValue + y;
}
