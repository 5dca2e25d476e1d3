namespace BpfSharp.Loading.Externs;

/// <summary>C's <c>strtoull(text, &amp;end, 0)</c> with libbpf's check that it read the whole text: leading
/// whitespace, a sign (a minus wraps modulo 2^64), then hexadecimal after <c>0x</c>, octal after <c>0</c>, else
/// decimal.</summary>
internal static class CNumber
{
    public static bool TryParse(string text, out ulong value)
    {
        value = 0;
        var digits = text.AsSpan().TrimStart(" \t\n\v\f\r");
        var negative = digits.Length > 0 && digits[0] == '-';
        if (digits.Length > 0 && digits[0] is '+' or '-') digits = digits[1..];
        var radix = 10u;
        if (digits.Length > 2 && digits[0] == '0' && digits[1] is 'x' or 'X' && char.IsAsciiHexDigit(digits[2]))
        {
            radix = 16;
            digits = digits[2..];
        }
        else if (digits.Length > 1 && digits[0] == '0')
            radix = 8;
        if (digits.IsEmpty) return false;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? (uint)(c - '0') : char.IsAsciiHexDigit(c) ? (uint)(char.ToLowerInvariant(c) - 'a' + 10) : radix;
            if (digit >= radix || value > (ulong.MaxValue - digit) / radix) return false;
            value = value * radix + digit;
        }
        if (negative) value = unchecked(0 - value);
        return true;
    }
}
