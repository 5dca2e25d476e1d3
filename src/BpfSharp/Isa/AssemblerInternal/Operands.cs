namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>Reads the operand forms of the dialect: registers, <c>[%rN±off]</c> memory operands and jump targets.</summary>
internal static class Operands
{
    /// <summary>The highest register number the dialect spells. Upstream accepts %r11-%r15 so that negative tests
    /// can encode them; the decoder rejects them.</summary>
    const int MaxRegister = 15;

    public static bool IsRegister(string operand) => operand.StartsWith('%');

    /// <summary><c>%r0</c>..<c>%r15</c>, spelled exactly (no leading zeros, no upper case).</summary>
    public static Register Register(string operand)
    {
        if (operand.StartsWith("%r", StringComparison.Ordinal) && int.TryParse(operand.AsSpan(2), out var n)
            && n is >= 0 and <= MaxRegister && operand == $"%r{n}")
            return (Register)n;
        throw new SyntaxError($"Invalid register: {operand}");
    }

    /// <summary><c>[%rN]</c>, <c>[%rN+off]</c> or <c>[%rN-off]</c>; the offset is signed 16-bit (hex up to 0xffff).</summary>
    public static (Register Base, short Offset) Memory(string operand)
    {
        var open = operand.IndexOf('[');
        var close = operand.EndsWith(']') ? operand.Length - 1 : -1;
        if (open != 0 || close < 0)
            throw new SyntaxError($"Failed to decode register and offset: {operand}");
        var sign = operand.IndexOfAny(['+', '-'], open);
        if (sign < 0)
            return (Register(operand[(open + 1)..close]), 0);
        // Upstream quotes everything from the sign on, closing bracket included ("+0x10000]").
        return (Register(operand[(open + 1)..sign]), Numbers.Offset(operand[sign..close], operand[sign..]));
    }

    /// <summary>A jump target is a signed number (<c>+N</c>/<c>-N</c>, relative to the next slot) or a label name.</summary>
    public static bool IsRelative(string target) => target.StartsWith('+') || target.StartsWith('-');
}
