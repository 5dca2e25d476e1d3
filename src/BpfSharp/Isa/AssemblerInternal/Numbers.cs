using System.Globalization;

namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>The dialect's numbers: an optional sign, then <c>0x</c> and hex digits or decimal digits. Upstream reads
/// them with <c>std::stoull</c>/<c>std::stoll</c>, so hex is unsigned and a minus sign on it wraps modulo 2^64
/// (which puts <c>-0x1</c> out of 32-bit range), while decimal is signed. Unlike upstream we reject trailing
/// characters instead of ignoring them.</summary>
internal static class Numbers
{
    /// <summary>A 32-bit immediate: hex must fit u32, decimal must fit i32.</summary>
    public static int Imm32(string token) =>
        (int)(uint)Fit(token, token, 0xffff_ffffUL, int.MinValue, int.MaxValue, "Immediate out of 32-bit range", "Invalid immediate");

    /// <summary>A 16-bit offset: hex must fit u16, decimal must fit i16. <paramref name="shown"/> is what the
    /// message quotes (upstream quotes the rest of the memory operand, closing bracket included).</summary>
    public static short Offset(string number, string shown) =>
        (short)(ushort)Fit(number, shown, 0xffffUL, short.MinValue, short.MaxValue, "Offset out of 16-bit range", "Invalid offset");

    /// <summary>The 64-bit immediate of <c>lddw</c>: hex or unsigned decimal up to 2^64-1, negative decimal down
    /// to -2^63.</summary>
    public static ulong Imm64(string token)
    {
        if (!TryParse(token, out var negative, out var hex, out var magnitude, out var overflow))
            throw new SyntaxError($"Invalid immediate: {token}");
        if (overflow || !hex && negative && magnitude > 1UL << 63)
            throw new SyntaxError($"Immediate out of 64-bit range: {token}");
        return negative ? 0 - magnitude : magnitude;
    }

    /// <summary>A u64 as <c>std::stoull</c> reads it (the <c>-- result</c> and <c>-- raw</c> values); false when the
    /// text is not a number or does not fit.</summary>
    public static bool TryUInt64(string token, out ulong value)
    {
        value = 0;
        if (!TryParse(token, out var negative, out _, out var magnitude, out var overflow) || overflow) return false;
        value = negative ? 0 - magnitude : magnitude;
        return true;
    }

    static long Fit(string number, string shown, ulong hexMax, long decimalMin, long decimalMax, string rangeError, string syntaxError)
    {
        if (!TryParse(number, out var negative, out var hex, out var magnitude, out var overflow))
            throw new SyntaxError($"{syntaxError}: {shown}");
        if (hex)
        {
            var value = negative ? 0 - magnitude : magnitude;
            if (overflow || value > hexMax) throw new SyntaxError($"{rangeError}: {shown}");
            return (long)value;
        }
        var limit = negative ? (ulong)-decimalMin : (ulong)decimalMax;
        if (overflow || magnitude > limit) throw new SyntaxError($"{rangeError}: {shown}");
        return negative ? -(long)magnitude : (long)magnitude;
    }

    /// <summary>Splits sign, base and digits; <paramref name="overflow"/> is set when the digits are well formed but
    /// exceed 64 bits, so callers can tell "out of range" from "not a number".</summary>
    static bool TryParse(ReadOnlySpan<char> s, out bool negative, out bool hex, out ulong magnitude, out bool overflow)
    {
        negative = hex = overflow = false;
        magnitude = 0;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = true;
            s = s[2..];
        }
        if (s.IsEmpty) return false;
        foreach (var c in s)
            if (!(hex ? char.IsAsciiHexDigit(c) : char.IsAsciiDigit(c)))
                return false;
        overflow = !ulong.TryParse(s, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        return true;
    }
}
