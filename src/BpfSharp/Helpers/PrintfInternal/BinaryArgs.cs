using System.Buffers.Binary;
using BpfSharp.Execution;

namespace BpfSharp.Helpers.PrintfInternal;

/// <summary>The kernel's <c>bpf_bprintf_prepare</c> (kernel/bpf/helpers.c): checks a format string against the rules
/// the printf-like helpers share, and packs the arguments into the binary form <see cref="BinaryFormatter"/> reads
/// (<c>bstr_printf</c>'s <c>bin_buf</c>). Strings and IP addresses are copied in here, as the kernel copies them
/// before formatting, so a bad pointer becomes an empty string or a zero address instead of a fault.</summary>
internal sealed class BinaryArgs
{
    /// <summary>MAX_BPRINTF_BIN_ARGS: the per-CPU buffer the arguments are packed into.</summary>
    public const int Capacity = 512;

    /// <summary>MAX_BPRINTF_VARARGS: the most u64 arguments <c>bpf_snprintf</c> and <c>bpf_trace_vprintk</c> take.</summary>
    public const int MaxArgs = 12;

    readonly byte[] buffer = new byte[Capacity];
    int used;

    BinaryArgs() { }

    /// <summary>The packed arguments (what lies past <see cref="Capacity"/> reads as zero).</summary>
    public ReadOnlySpan<byte> Bytes => buffer;

    /// <summary>Checks <paramref name="format"/> (its bytes before the NUL) with <paramref name="args"/> available and
    /// packs them: 0 on success, -EINVAL for a format the kernel refuses, -ENOSPC when the packed arguments do not
    /// fit.</summary>
    public static int Prepare(Invocation inv, ReadOnlySpan<byte> format, ReadOnlySpan<ulong> args, out BinaryArgs packed)
    {
        packed = new BinaryArgs();
        return packed.Pack(inv, format, args);
    }

    int Pack(Invocation inv, ReadOnlySpan<byte> fmt, ReadOnlySpan<ulong> args)
    {
        var spec = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            // ASCII control characters other than whitespace are refused; bytes from 0x80 up pass, so that UTF-8
            // text can be printed (Linux 6.18 measured: "caf\xc3\xa9" and "\x80\x9f" are accepted).
            if (!KernelCtype.IsPrint(c) && !KernelCtype.IsSpace(c) && KernelCtype.IsAscii(c)) return -Errno.EINVAL;
            if (c != '%') continue;
            if (At(fmt, i + 1) == '%')
            {
                i++;
                continue;
            }
            if (spec >= args.Length) return -Errno.EINVAL;
            i++;

            // Flags "0+- " and a width are accepted (and passed on to the formatter); no precision, no '#', no '*'.
            while (At(fmt, i) is (byte)'0' or (byte)'+' or (byte)'-' or (byte)' ') i++;
            if (At(fmt, i) is >= (byte)'1' and <= (byte)'9')
                while (KernelCtype.IsDigit(At(fmt, i))) i++;

            int error;
            switch (At(fmt, i))
            {
                case (byte)'p':
                    error = Pointer(inv, fmt, ref i, args[spec]);
                    break;
                case (byte)'s':
                    error = String(inv, fmt, i, args[spec]);
                    break;
                case (byte)'c':
                    if (used >= Capacity) return -Errno.ENOSPC;
                    buffer[used++] = (byte)args[spec];
                    error = 0;
                    break;
                default:
                    error = Integer(fmt, ref i, args[spec]);
                    break;
            }
            if (error != 0) return error;
            spec++;
        }
        return 0;
    }

    /// <summary>The format's byte at <paramref name="i"/>, or its NUL past the end.</summary>
    static byte At(ReadOnlySpan<byte> fmt, int i) => i < fmt.Length ? fmt[i] : (byte)0;

    /// <summary>%d %i %u %x %X with an optional l or ll: 4 or 8 bytes, 4-aligned.</summary>
    int Integer(ReadOnlySpan<byte> fmt, ref int i, ulong value)
    {
        var size = 4;
        if (At(fmt, i) == 'l')
        {
            size = 8;
            i++;
        }
        if (At(fmt, i) == 'l') i++;
        if (At(fmt, i) is not ((byte)'i' or (byte)'d' or (byte)'u' or (byte)'x' or (byte)'X')) return -Errno.EINVAL;
        return Number(value, size);
    }

    int Number(ulong value, int size)
    {
        used = (used + 3) & ~3;
        if (Capacity - used < size) return -Errno.ENOSPC;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), (uint)value);
        if (size == 8) BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used + 4), (uint)(value >> 32));
        used += size;
        return 0;
    }

    /// <summary>%p and its extensions. Only the pointer value travels for %p, %pK, %px, %ps and %pS (formatted
    /// later); %pks and %pus copy a string, %pI4 %pi4 %pI6 %pi6 and %pB are formatted now into text.</summary>
    int Pointer(Invocation inv, ReadOnlySpan<byte> fmt, ref int i, ulong value)
    {
        var next = At(fmt, i + 1);
        if (next is (byte)'k' or (byte)'u' && At(fmt, i + 2) == 's')
        {
            i += 2;
            return String(inv, fmt, i, value);
        }
        if (next == 0 || KernelCtype.IsSpace(next) || KernelCtype.IsPunct(next) || next is (byte)'K' or (byte)'x' or (byte)'s' or (byte)'S')
        {
            // The character after 'p' is skipped unchecked, as the kernel does.
            i++;
            return Number(value, 8);
        }
        if (next == 'B')
        {
            i++;
            return Text(PointerText.Backtrace(value));
        }
        var width = At(fmt, i + 2);
        if (next is not ((byte)'i' or (byte)'I') || width is not ((byte)'4' or (byte)'6')) return -Errno.EINVAL;
        i += 2;
        var address = new byte[width == '4' ? 4 : 16];
        if (Capacity - used < address.Length) return -Errno.ENOSPC;
        if (!HelperMemory.TryRead(inv, value, address)) Array.Clear(address);
        return Text(width == '4' ? PointerText.Ip4(address, leadingZeros: next == 'i') : PointerText.Ip6(address, colons: next == 'I'));
    }

    /// <summary>Text formatted now, stored as <c>snprintf</c> into the rest of the buffer stores it: truncated with a
    /// NUL, the position advanced by its full length (past the end if it did not fit).</summary>
    int Text(ReadOnlySpan<byte> text)
    {
        var room = Capacity - used;
        if (room > 0)
        {
            var copied = Math.Min(text.Length, room - 1);
            text[..copied].CopyTo(buffer.AsSpan(used));
            buffer[used + copied] = 0;
        }
        used += text.Length + 1;
        return 0;
    }

    /// <summary>%s, %pks, %pus: the character after the conversion must end a word (NUL, space or punctuation);
    /// the string is copied with its NUL, truncated to the room left, or stored empty when it cannot be read. The
    /// three differ in the kernel only in the address space they read (%s: user below TASK_SIZE on x86-64);
    /// BpfSharp has one, the invocation's memory.</summary>
    int String(Invocation inv, ReadOnlySpan<byte> fmt, int i, ulong address)
    {
        var next = At(fmt, i + 1);
        if (next != 0 && !KernelCtype.IsSpace(next) && !KernelCtype.IsPunct(next)) return -Errno.EINVAL;
        if (used >= Capacity) return -Errno.ENOSPC;
        var copied = HelperMemory.CopyString(inv, address, buffer.AsSpan(used, Capacity - used));
        if (copied < 0)
        {
            buffer[used] = 0;
            copied = 1;
        }
        used += copied;
        return 0;
    }
}
