namespace BpfSharp.Verification.State;

/// <summary>What the verifier knows of a 64-bit value: a tristate number and signed/unsigned bounds for the whole
/// register and for its low 32 bits, kept consistent with each other (the scalar half of the kernel's
/// <c>struct bpf_reg_state</c>, and its <c>reg_bounds_sync</c>).</summary>
internal readonly record struct Scalar(Tnum Bits, long SMin, long SMax, ulong UMin, ulong UMax,
    int S32Min, int S32Max, uint U32Min, uint U32Max)
{
    public static readonly Scalar Unknown = new(Tnum.Unknown, long.MinValue, long.MaxValue, 0, ulong.MaxValue,
        int.MinValue, int.MaxValue, 0, uint.MaxValue);

    public static Scalar Const(ulong value) => new(Tnum.Const(value), (long)value, (long)value, value, value,
        (int)(uint)value, (int)(uint)value, (uint)value, (uint)value);

    /// <summary>Every value in [min, max] (unsigned).</summary>
    public static Scalar UnsignedRange(ulong min, ulong max) => (Unknown with { UMin = min, UMax = max }).Sync();

    public bool IsConst => Bits.IsConst;

    public ulong Value => Bits.Value;

    public bool Is32Const => Bits.Subreg.IsConst;

    /// <summary>Whether every value this scalar may hold is one <paramref name="outer"/> may hold (the kernel's
    /// <c>range_within</c> plus <c>tnum_in</c>): pruning against a state already proven safe.</summary>
    public bool Within(Scalar outer) =>
        SMin >= outer.SMin && SMax <= outer.SMax && UMin >= outer.UMin && UMax <= outer.UMax &&
        S32Min >= outer.S32Min && S32Max <= outer.S32Max && U32Min >= outer.U32Min && U32Max <= outer.U32Max &&
        Bits.Within(outer.Bits);

    /// <summary>The low 32 bits, zero-extended: the result of every 32-bit operation.</summary>
    public Scalar ZeroExtend32() =>
        new Scalar(Bits.Subreg, U32Min, U32Max, U32Min, U32Max, S32Min, S32Max, U32Min, U32Max).Sync();

    /// <summary>The low <paramref name="size"/> bytes, zero-extended (<c>coerce_reg_to_size</c>): the known bits cut
    /// to size; the unsigned range kept when its bounds agree above the cut, else the whole width.</summary>
    public Scalar Coerce(int size)
    {
        if (size >= 8) return this;
        var mask = (1UL << (size * 8)) - 1;
        var (min, max) = (UMin & ~mask) == (UMax & ~mask) ? (UMin & mask, UMax & mask) : (0UL, mask);
        return (Unknown with { Bits = Bits.Cast(size), UMin = min, UMax = max, SMin = (long)min, SMax = (long)max }).Sync();
    }

    /// <summary>Tightens every bound from every other, twice, as <c>reg_bounds_sync</c> does. Sound: each step only
    /// removes values that no bound allows.</summary>
    public Scalar Sync()
    {
        var s = this;
        for (var round = 0; round < 2; round++)
            s = s.FromBits().Deduce32().Deduce64().Cross().ToBits();
        return s;
    }

    /// <summary>Bounds from the known bits; and when the 64-bit range and the known bits share a single value, that
    /// value (<c>__update_reg64_bounds</c> of Linux 6.18).</summary>
    Scalar FromBits()
    {
        var b = Bits;
        var low = b.Subreg;
        var s = this with
        {
            SMin = Math.Max(SMin, (long)(b.Value | (b.Mask & 0x8000_0000_0000_0000))),
            SMax = Math.Min(SMax, (long)(b.Value | (b.Mask & 0x7fff_ffff_ffff_ffff))),
            UMin = Math.Max(UMin, b.Value),
            UMax = Math.Min(UMax, b.Value | b.Mask),
            S32Min = Math.Max(S32Min, (int)(uint)(low.Value | (low.Mask & 0x8000_0000))),
            S32Max = Math.Min(S32Max, (int)(uint)(low.Value | (low.Mask & 0x7fff_ffff))),
            U32Min = Math.Max(U32Min, (uint)low.Value),
            U32Max = Math.Min(U32Max, (uint)(low.Value | low.Mask)),
        };
        if (s.UMin < s.UMax && !b.IsConst && b.AtLeast(s.UMin) is { } first && first <= s.UMax
            && (first == ulong.MaxValue || b.AtLeast(first + 1) is not { } second || second > s.UMax))
            return Const(first);
        return s;
    }

    /// <summary>Signed and unsigned 32-bit bounds agree wherever the range does not cross the sign boundary.</summary>
    Scalar Deduce32()
    {
        var s = this;
        if (s.S32Min >= 0 || s.S32Max < 0)
            s = s with { U32Min = Math.Max(s.U32Min, (uint)s.S32Min), U32Max = Math.Min(s.U32Max, (uint)s.S32Max) };
        if ((int)s.U32Min <= (int)s.U32Max)
            s = s with { S32Min = Math.Max(s.S32Min, (int)s.U32Min), S32Max = Math.Min(s.S32Max, (int)s.U32Max) };
        return s;
    }

    Scalar Deduce64()
    {
        var s = this;
        if (s.SMin >= 0 || s.SMax < 0)
            s = s with { UMin = Math.Max(s.UMin, (ulong)s.SMin), UMax = Math.Min(s.UMax, (ulong)s.SMax) };
        // A signed range across the sign boundary is two pieces of the unsigned domain, its top and its bottom; an
        // unsigned range meeting only one of them is that piece (__reg64_deduce_bounds since Linux 6.17).
        else if (s.UMax < (ulong)s.SMin)
            s = s with { SMin = Math.Max(s.SMin, (long)s.UMin), UMax = Math.Min(s.UMax, (ulong)s.SMax) };
        else if ((ulong)s.SMax < s.UMin)
            s = s with { SMax = Math.Min(s.SMax, (long)s.UMax), UMin = Math.Max(s.UMin, (ulong)s.SMin) };
        if ((long)s.UMin <= (long)s.UMax)
            s = s with { SMin = Math.Max(s.SMin, (long)s.UMin), SMax = Math.Min(s.SMax, (long)s.UMax) };
        return s;
    }

    /// <summary>The low halves follow from the 64-bit bounds when their upper halves agree, and the 64-bit bounds from
    /// the low halves when the value fits in 32 bits.</summary>
    Scalar Cross()
    {
        var s = this;
        if (s.UMin >> 32 == s.UMax >> 32 && (uint)s.UMin <= (uint)s.UMax)
            s = s with { U32Min = Math.Max(s.U32Min, (uint)s.UMin), U32Max = Math.Min(s.U32Max, (uint)s.UMax) };
        if (s.SMin >> 32 == s.SMax >> 32 && (int)s.SMin <= (int)s.SMax)
            s = s with { S32Min = Math.Max(s.S32Min, (int)s.SMin), S32Max = Math.Min(s.S32Max, (int)s.SMax) };
        // Upper halves two consecutive numbers (0xffffffff then 0 counts) under low halves that run from negative to
        // non-negative: two s32 ranges that join into one ([-1, 0] from the 64-bit [-1, 0]).
        if (StitchesLow32(s.UMin, s.UMax))
            s = s with { S32Min = Math.Max(s.S32Min, (int)s.UMin), S32Max = Math.Min(s.S32Max, (int)s.UMax) };
        if (StitchesLow32((ulong)s.SMin, (ulong)s.SMax))
            s = s with { S32Min = Math.Max(s.S32Min, (int)s.SMin), S32Max = Math.Min(s.S32Max, (int)s.SMax) };
        if (s.UMax <= uint.MaxValue)
            s = s with { UMin = Math.Max(s.UMin, s.U32Min), UMax = Math.Min(s.UMax, s.U32Max) };
        return s;
    }

    static bool StitchesLow32(ulong min, ulong max) => (uint)(min >> 32) + 1 == (uint)(max >> 32) && (int)min < 0 && (int)max >= 0;

    /// <summary>Known bits from the bounds.</summary>
    Scalar ToBits()
    {
        var bits = Bits.Intersect(Tnum.Range(UMin, UMax));
        var low = bits.Subreg.Intersect(Tnum.Range(U32Min, U32Max));
        return this with { Bits = bits.WithSubreg(low) };
    }

    /// <summary>Whether the bounds contradict each other: no value fits (a branch that cannot be taken).</summary>
    public bool IsEmpty => SMin > SMax || UMin > UMax || S32Min > S32Max || U32Min > U32Max;

    public override string ToString()
    {
        if (IsConst) return $"{(long)Value}";
        var parts = new List<string>();
        if (SMin != long.MinValue) parts.Add($"smin={SMin}");
        if (SMax != long.MaxValue) parts.Add($"smax={SMax}");
        if (UMin != 0) parts.Add($"umin={UMin}");
        if (UMax != ulong.MaxValue) parts.Add($"umax={UMax}");
        if (S32Min != int.MinValue) parts.Add($"smin32={S32Min}");
        if (S32Max != int.MaxValue) parts.Add($"smax32={S32Max}");
        if (U32Min != 0) parts.Add($"umin32={U32Min}");
        if (U32Max != uint.MaxValue) parts.Add($"umax32={U32Max}");
        if (!Bits.Equals(Tnum.Unknown)) parts.Add($"var_off={Bits}");
        return parts.Count == 0 ? "scalar()" : $"scalar({string.Join(",", parts)})";
    }
}
