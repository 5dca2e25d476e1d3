namespace BpfSharp.Helpers.PrintfInternal;

/// <summary>One token of a format string as the kernel's <c>format_decode</c> (lib/vsprintf.c) reads it.</summary>
internal struct FormatSpec
{
    public const int Sign = 1, Left = 2, Plus = 4, Space = 8, ZeroPad = 16, Small = 32, Special = 64;

    public FormatType Type;
    public int Flags;
    public int FieldWidth;
    public int Precision;
    public int Base;

    /// <summary>Decodes the token at <paramref name="start"/> and returns how many bytes it spans: a run of literal
    /// text up to the next '%', or one conversion with its flags, width, precision and length modifier.</summary>
    public static int Decode(ReadOnlySpan<byte> fmt, int start, out FormatSpec spec)
    {
        spec = new FormatSpec { Type = FormatType.None, FieldWidth = -1, Precision = -1, Base = 10 };
        var f = start;
        if (At(fmt, f) != '%')
        {
            while (f < fmt.Length && fmt[f] != '%') f++;
            return f - start;
        }
        while (true)
        {
            var flag = At(fmt, ++f) switch
            {
                (byte)'-' => Left,
                (byte)'+' => Plus,
                (byte)' ' => Space,
                (byte)'#' => Special,
                (byte)'0' => ZeroPad,
                _ => 0,
            };
            if (flag == 0) break;
            spec.Flags |= flag;
        }
        if (KernelCtype.IsDigit(At(fmt, f))) spec.FieldWidth = ReadNumber(fmt, ref f);
        if (At(fmt, f) == '.')
        {
            f++;
            if (KernelCtype.IsDigit(At(fmt, f))) spec.Precision = ReadNumber(fmt, ref f);
        }
        var qualifier = (byte)0;
        if (At(fmt, f) is (byte)'h' or (byte)'l' or (byte)'L' or (byte)'z' or (byte)'t')
        {
            qualifier = fmt[f++];
            if (qualifier == At(fmt, f) && qualifier is (byte)'l' or (byte)'h')
            {
                qualifier = qualifier == 'l' ? (byte)'L' : (byte)'H';
                f++;
            }
        }
        switch (At(fmt, f))
        {
            case (byte)'c': spec.Type = FormatType.Char; return f + 1 - start;
            case (byte)'s': spec.Type = FormatType.String; return f + 1 - start;
            case (byte)'p': spec.Type = FormatType.Pointer; return f + 1 - start;
            case (byte)'%': spec.Type = FormatType.Percent; return f + 1 - start;
            case (byte)'o': spec.Base = 8; break;
            case (byte)'x': spec.Flags |= Small; spec.Base = 16; break;
            case (byte)'X': spec.Base = 16; break;
            case (byte)'d' or (byte)'i': spec.Flags |= Sign; break;
            case (byte)'u': break;
            default: spec.Type = FormatType.Invalid; return f - start;
        }
        var signed = (spec.Flags & Sign) != 0;
        spec.Type = qualifier switch
        {
            (byte)'L' => FormatType.LongLong,
            (byte)'l' or (byte)'z' or (byte)'t' => signed ? FormatType.Long : FormatType.ULong,
            (byte)'H' => signed ? FormatType.Byte : FormatType.UByte,
            (byte)'h' => signed ? FormatType.Short : FormatType.UShort,
            _ => signed ? FormatType.Int : FormatType.UInt,
        };
        return f + 1 - start;
    }

    static byte At(ReadOnlySpan<byte> fmt, int i) => i < fmt.Length ? fmt[i] : (byte)0;

    /// <summary>FIELD_WIDTH_MAX: the kernel keeps widths in 24 bits.</summary>
    const int MaxWidth = (1 << 23) - 1;

    /// <summary>A decimal width or precision, capped at <see cref="MaxWidth"/> so that a huge one cannot make the
    /// formatter pad for ever.</summary>
    static int ReadNumber(ReadOnlySpan<byte> fmt, ref int f)
    {
        var value = 0L;
        while (KernelCtype.IsDigit(At(fmt, f))) value = Math.Min(value * 10 + fmt[f++] - '0', MaxWidth);
        return (int)value;
    }
}

/// <summary>What a format token is (<c>enum format_type</c>).</summary>
internal enum FormatType
{
    None, Char, String, Pointer, Percent, Invalid, LongLong, ULong, Long, UByte, Byte, UShort, Short, UInt, Int,
}
