using System.Buffers.Binary;

namespace BpfSharp.Helpers.PrintfInternal;

/// <summary>The kernel's <c>bstr_printf</c> (lib/vsprintf.c): formats a checked format string with arguments packed
/// by <see cref="BinaryArgs"/>, into a buffer of a given size. Like <c>vsnprintf</c> it writes at most size - 1
/// characters and a NUL, and returns the length the whole output would have had.</summary>
internal static class BinaryFormatter
{
    public static int Format(Span<byte> output, ReadOnlySpan<byte> fmt, ReadOnlySpan<byte> args)
    {
        var o = new Output(output);
        var a = 0;
        for (var f = 0; f < fmt.Length;)
        {
            var start = f;
            f += FormatSpec.Decode(fmt, f, out var spec);
            switch (spec.Type)
            {
                case FormatType.None:
                    o.Put(fmt[start..f]);
                    break;
                case FormatType.Char:
                    // Padded with spaces only, whatever the flags.
                    if ((spec.Flags & FormatSpec.Left) == 0) o.Pad(spec.FieldWidth - 1);
                    o.Put((byte)Arg(args, ref a, 1, 1));
                    if ((spec.Flags & FormatSpec.Left) != 0) o.Pad(spec.FieldWidth - 1);
                    break;
                case FormatType.String:
                    o.Widened(NulTerminated(args, ref a), spec);
                    break;
                case FormatType.Pointer:
                    f = Pointer(ref o, fmt, f, args, ref a, spec);
                    break;
                case FormatType.Percent:
                    o.Put((byte)'%');
                    break;
                case FormatType.Invalid:
                    return o.Finish();
                default:
                    Number(ref o, Integer(args, ref a, spec.Type), spec);
                    break;
            }
        }
        return o.Finish();
    }

    /// <summary>An argument of <paramref name="size"/> bytes: small ones aligned to their size, 8-byte ones to 4 (the
    /// buffer holds them as two u32s).</summary>
    static ulong Arg(ReadOnlySpan<byte> args, ref int a, int size, int align)
    {
        a = (a + align - 1) & -align;
        Span<byte> value = stackalloc byte[8];
        value.Clear();
        if (a < args.Length) args[a..Math.Min(args.Length, a + size)].CopyTo(value);
        a += size;
        return BinaryPrimitives.ReadUInt64LittleEndian(value);
    }

    static ulong Integer(ReadOnlySpan<byte> args, ref int a, FormatType type) => type switch
    {
        FormatType.LongLong or FormatType.Long or FormatType.ULong => Arg(args, ref a, 8, 4),
        FormatType.UByte => (byte)Arg(args, ref a, 1, 1),
        FormatType.Byte => (ulong)(sbyte)Arg(args, ref a, 1, 1),
        FormatType.UShort => (ushort)Arg(args, ref a, 2, 2),
        FormatType.Short => (ulong)(short)Arg(args, ref a, 2, 2),
        FormatType.UInt => (uint)Arg(args, ref a, 4, 4),
        _ => (ulong)(int)Arg(args, ref a, 4, 4),
    };

    /// <summary>A string stored in place: everything up to its NUL, which the position skips too.</summary>
    static ReadOnlySpan<byte> NulTerminated(ReadOnlySpan<byte> args, scoped ref int a)
    {
        var rest = a < args.Length ? args[a..] : ReadOnlySpan<byte>.Empty;
        var length = rest.IndexOf((byte)0);
        if (length < 0) length = rest.Length;
        a += length + 1;
        return rest[..length];
    }

    /// <summary>%p: <paramref name="f"/> is just past the 'p'. Extensions formatted when the arguments were packed
    /// (IP addresses, %pks, %pus, %pB) are copied from there; the others are formatted from the pointer now. Every
    /// letter or digit after the 'p' belongs to the conversion and is skipped.</summary>
    static int Pointer(ref Output o, ReadOnlySpan<byte> fmt, int f, ReadOnlySpan<byte> args, ref int a, FormatSpec spec)
    {
        var kind = f < fmt.Length ? fmt[f] : (byte)0;
        if (kind is (byte)'S' or (byte)'s' or (byte)'x' or (byte)'K' || !KernelCtype.IsAlnum(kind))
        {
            var pointer = Arg(args, ref a, 8, 4);
            if (kind is (byte)'S' or (byte)'s') o.Widened(PointerText.Symbol(pointer), spec);
            else PointerString(ref o, kind == 'x' ? pointer : PointerText.Hashed(pointer), spec);
        }
        else if (!o.Full)
        {
            // The kernel steps over a pre-formatted string only while there is room left to copy it into.
            o.Put(NulTerminated(args, ref a));
        }
        while (f < fmt.Length && KernelCtype.IsAlnum(fmt[f])) f++;
        return f;
    }

    /// <summary><c>pointer_string</c>: lowercase hex, zero-padded to 16 digits unless a width was given.</summary>
    static void PointerString(ref Output o, ulong value, FormatSpec spec)
    {
        spec.Base = 16;
        spec.Flags |= FormatSpec.Small;
        if (spec.FieldWidth == -1)
        {
            spec.FieldWidth = 16;
            spec.Flags |= FormatSpec.ZeroPad;
        }
        Number(ref o, value, spec);
    }

    /// <summary>The kernel's <c>number()</c>: sign or '+'/' ' for signed conversions, then padding (spaces before the
    /// sign, zeros after it, or spaces after the digits when left-aligned), the digits, and trailing spaces.</summary>
    static void Number(ref Output o, ulong num, FormatSpec spec)
    {
        if ((spec.Flags & FormatSpec.Left) != 0) spec.Flags &= ~FormatSpec.ZeroPad;
        var width = spec.FieldWidth;
        var sign = (byte)0;
        if ((spec.Flags & FormatSpec.Sign) != 0)
        {
            if ((long)num < 0)
            {
                sign = (byte)'-';
                num = (ulong)-(long)num;
            }
            else if ((spec.Flags & FormatSpec.Plus) != 0) sign = (byte)'+';
            else if ((spec.Flags & FormatSpec.Space) != 0) sign = (byte)' ';
            if (sign != 0) width--;
        }
        var prefix = (spec.Flags & FormatSpec.Special) != 0 && spec.Base != 10;
        if (prefix) width -= spec.Base == 16 ? 2 : num == 0 ? 0 : 1;
        var isZero = num == 0;

        Span<byte> digits = stackalloc byte[24];
        var n = 0;
        var letters = (spec.Flags & FormatSpec.Small) != 0 ? "0123456789abcdef" : "0123456789ABCDEF";
        do
        {
            digits[n++] = (byte)letters[(int)(num % (ulong)spec.Base)];
            num /= (ulong)spec.Base;
        } while (num != 0);

        var precision = Math.Max(spec.Precision, n);
        width -= precision;
        if ((spec.Flags & (FormatSpec.ZeroPad | FormatSpec.Left)) == 0)
        {
            o.Pad(width);
            width = 0;
        }
        if (sign != 0) o.Put(sign);
        if (prefix)
        {
            if (spec.Base == 16 || !isZero) o.Put((byte)'0');
            if (spec.Base == 16) o.Put((byte)((spec.Flags & FormatSpec.Small) != 0 ? 'x' : 'X'));
        }
        if ((spec.Flags & FormatSpec.Left) == 0)
        {
            o.Pad(width, (spec.Flags & FormatSpec.ZeroPad) != 0 ? (byte)'0' : (byte)' ');
            width = 0;
        }
        for (var i = n; i < precision; i++) o.Put((byte)'0');
        while (n > 0) o.Put(digits[--n]);
        o.Pad(width);
    }

    /// <summary>The output buffer: writes what fits, counts everything.</summary>
    ref struct Output(Span<byte> buffer)
    {
        readonly Span<byte> buffer = buffer;
        int length;

        public readonly bool Full => length >= buffer.Length;

        public void Put(byte c)
        {
            if (length < buffer.Length) buffer[length] = c;
            length++;
        }

        public void Put(scoped ReadOnlySpan<byte> text)
        {
            if (length < buffer.Length) text[..Math.Min(text.Length, buffer.Length - length)].CopyTo(buffer[length..]);
            length += text.Length;
        }

        public void Pad(int count, byte c = (byte)' ')
        {
            for (var i = 0; i < count; i++) Put(c);
        }

        /// <summary><c>string_nocheck</c> and <c>widen_string</c>: text padded with spaces to the field width, on the
        /// left unless left-aligned.</summary>
        public void Widened(scoped ReadOnlySpan<byte> text, FormatSpec spec)
        {
            var spaces = spec.FieldWidth - text.Length;
            if ((spec.Flags & FormatSpec.Left) == 0) Pad(spaces);
            Put(text);
            if ((spec.Flags & FormatSpec.Left) != 0) Pad(spaces);
        }

        /// <summary>The NUL: after the text, or in the last byte when the text filled the buffer.</summary>
        public readonly int Finish()
        {
            if (buffer.Length > 0) buffer[Math.Min(length, buffer.Length - 1)] = 0;
            return length;
        }
    }
}
