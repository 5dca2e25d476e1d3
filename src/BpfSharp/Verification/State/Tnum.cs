using System.Numerics;

namespace BpfSharp.Verification.State;

/// <summary>A tristate number, the kernel's <c>struct tnum</c> (kernel/bpf/tnum.c): each bit is known 0, known 1 or
/// unknown. <see cref="Value"/> holds the known ones; <see cref="Mask"/> marks the unknown bits (never both set).</summary>
internal readonly record struct Tnum(ulong Value, ulong Mask)
{
    public static readonly Tnum Unknown = new(0, ulong.MaxValue);

    public static Tnum Const(ulong value) => new(value, 0);

    /// <summary>The smallest tnum holding every value in [min, max].</summary>
    public static Tnum Range(ulong min, ulong max)
    {
        var chi = min ^ max;
        var bits = chi == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(chi);
        if (bits > 63) return Unknown;
        var delta = (1UL << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    public bool IsConst => Mask == 0;

    /// <summary>Whether <paramref name="x"/> is one of the values the known bits allow.</summary>
    public bool Contains(ulong x) => (x & ~Mask) == Value;

    /// <summary>The smallest value the known bits allow that is at least <paramref name="x"/>, or null when none is.</summary>
    public ulong? AtLeast(ulong x)
    {
        var conflicts = (x ^ Value) & ~Mask;
        if (conflicts == 0) return x;
        var p = 63 - System.Numerics.BitOperations.LeadingZeroCount(conflicts);
        var below = p == 63 ? ulong.MaxValue : (1UL << (p + 1)) - 1;
        if ((Value >> p & 1) == 1)
            return x & ~below | Value & below; // x's free bits above p, then the smallest allowed rest
        // x is past every member with its bits above p: carry into the lowest free bit above p that x leaves clear.
        var free = Mask & ~below & ~x;
        if (free == 0) return null;
        var q = System.Numerics.BitOperations.TrailingZeroCount(free);
        var keep = ~((1UL << q) - 1) & ~(1UL << q);
        return x & keep | 1UL << q | Value & ((1UL << q) - 1);
    }

    public ulong Min => Value;

    public ulong Max => Value | Mask;

    public Tnum Add(Tnum b)
    {
        var sm = Mask + b.Mask;
        var sv = Value + b.Value;
        var sigma = sm + sv;
        var chi = sigma ^ sv;
        var mu = chi | Mask | b.Mask;
        return new Tnum(sv & ~mu, mu);
    }

    public Tnum Sub(Tnum b)
    {
        var dv = Value - b.Value;
        var alpha = dv + Mask;
        var beta = dv - b.Mask;
        var chi = alpha ^ beta;
        var mu = chi | Mask | b.Mask;
        return new Tnum(dv & ~mu, mu);
    }

    public Tnum And(Tnum b)
    {
        var alpha = Value | Mask;
        var beta = b.Value | b.Mask;
        var v = Value & b.Value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public Tnum Or(Tnum b)
    {
        var v = Value | b.Value;
        var mu = Mask | b.Mask;
        return new Tnum(v, mu & ~v);
    }

    public Tnum Xor(Tnum b)
    {
        var v = Value ^ b.Value;
        var mu = Mask | b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>Long multiplication over the known and unknown parts (tnum_mul).</summary>
    /// <summary><c>tnum_mul</c> as Linux 6.18 has it: long multiplication over the bits of this one, where an unknown
    /// bit makes the sum so far the union of adding the other and not.</summary>
    public Tnum Mul(Tnum b)
    {
        var a = this;
        var acc = new Tnum(0, 0);
        while (a.Value != 0 || a.Mask != 0)
        {
            if ((a.Value & 1) != 0) acc = acc.Add(b);
            else if ((a.Mask & 1) != 0) acc = acc.Union(acc.Add(b));
            a = a.RShift(1);
            b = b.LShift(1);
        }
        return acc;
    }

    /// <summary><c>tnum_union</c>: the numbers either may be (bits known only where both agree).</summary>
    public Tnum Union(Tnum b)
    {
        var mu = (Value ^ b.Value) | Mask | b.Mask;
        return new Tnum(Value & b.Value & ~mu, mu);
    }

    public Tnum LShift(int shift) => new(Value << shift, Mask << shift);

    public Tnum RShift(int shift) => new(Value >> shift, Mask >> shift);

    /// <summary>Arithmetic shift of the low <paramref name="width"/> bits (32 or 64).</summary>
    public Tnum ARShift(int shift, int width) => width == 32
        ? new((uint)((int)(uint)Value >> shift), (uint)((int)(uint)Mask >> shift))
        : new((ulong)((long)Value >> shift), (ulong)((long)Mask >> shift));

    public Tnum Intersect(Tnum b)
    {
        var v = Value | b.Value;
        var mu = Mask & b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>The low <paramref name="bytes"/> bytes, the rest known zero.</summary>
    public Tnum Cast(int bytes)
    {
        if (bytes >= 8) return this;
        var keep = (1UL << (bytes * 8)) - 1;
        return new Tnum(Value & keep, Mask & keep);
    }

    /// <summary>Whether every value this tnum allows is allowed by <paramref name="outer"/> (tnum_in).</summary>
    public bool Within(Tnum outer) => (Mask & ~outer.Mask) == 0 && (Value & ~outer.Mask) == outer.Value;

    /// <summary>The low 32 bits as a tnum of their own.</summary>
    public Tnum Subreg => Cast(4);

    /// <summary>Keeps the high 32 bits and replaces the low 32 with <paramref name="low"/>.</summary>
    public Tnum WithSubreg(Tnum low) => new((Value & 0xffff_ffff_0000_0000) | (uint)low.Value, (Mask & 0xffff_ffff_0000_0000) | (uint)low.Mask);

    public override string ToString() => IsConst ? $"0x{Value:x}" : $"(0x{Value:x}; 0x{Mask:x})";
}
