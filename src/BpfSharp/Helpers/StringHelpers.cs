using System.Buffers.Binary;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>String helpers (kernel/bpf/helpers.c): <c>bpf_strtol</c> (105), <c>bpf_strtoul</c> (106) and
/// <c>bpf_strncmp</c> (182).</summary>
internal static class StringHelpers
{
    /// <summary>BPF_STRTOX_BASE_MASK: the low bits of flags hold the base; no other flag exists.</summary>
    const ulong BaseMask = 0x1f;

    /// <summary>The kernel parses from a 64-byte copy: at most 63 characters after the blanks and sign.</summary>
    const int MaxDigits = 63;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.Strtol, "bpf_strtol", Strtol);
        table.RegisterBuiltIn((int)HelperId.Strtoul, "bpf_strtoul", Strtoul);
        table.RegisterBuiltIn((int)HelperId.Strncmp, "bpf_strncmp", Strncmp);
    }

    /// <summary><c>long bpf_strtol(const char *buf, size_t buf_len, u64 flags, long *res)</c>: the characters consumed
    /// (blanks, sign and prefix included), or -EINVAL / -ERANGE; *res is 0 unless it succeeds.</summary>
    static ulong Strtol(Invocation inv, ulong buf, ulong length, ulong flags, ulong res, ulong r5)
    {
        var result = inv.Memory(res, 8, MemoryAccess.Write);
        result.Clear();
        var consumed = Parse(HelperMemory.Buffer(inv, buf, length, MemoryAccess.Read), flags, out var magnitude, out var negative);
        if (consumed < 0) return Errno.Result(consumed);
        // -2^63 is the one negative magnitude past long.MaxValue that fits.
        if (negative ? (long)(0 - magnitude) > 0 : (long)magnitude < 0) return Errno.Result(-Errno.ERANGE);
        BinaryPrimitives.WriteInt64LittleEndian(result, negative ? (long)(0 - magnitude) : (long)magnitude);
        return (ulong)consumed;
    }

    /// <summary><c>long bpf_strtoul(const char *buf, size_t buf_len, u64 flags, unsigned long *res)</c>: as strtol, but
    /// a '-' makes it -EINVAL.</summary>
    static ulong Strtoul(Invocation inv, ulong buf, ulong length, ulong flags, ulong res, ulong r5)
    {
        var result = inv.Memory(res, 8, MemoryAccess.Write);
        result.Clear();
        var consumed = Parse(HelperMemory.Buffer(inv, buf, length, MemoryAccess.Read), flags, out var value, out var negative);
        if (consumed < 0) return Errno.Result(consumed);
        if (negative) return Errno.Result(-Errno.EINVAL);
        BinaryPrimitives.WriteUInt64LittleEndian(result, value);
        return (ulong)consumed;
    }

    /// <summary><c>__bpf_strtoull</c>: base 0 (auto: "0x" hex, "0" octal, else decimal), 8, 10 or 16; leading
    /// whitespace, then one optional '-' (never '+'), then "0x"/"0X" for hex, then digits. Parsing stops at the first
    /// non-digit; at least one digit is needed. Overflow past u64 is -ERANGE.</summary>
    static int Parse(ReadOnlySpan<byte> buf, ulong flags, out ulong value, out bool negative)
    {
        value = 0;
        negative = false;
        var radix = (uint)(flags & BaseMask);
        if (buf.IsEmpty || radix is not (0 or 8 or 10 or 16) || (flags & ~BaseMask) != 0) return -Errno.EINVAL;
        var i = 0;
        while (i < buf.Length && KernelCtype.IsSpace(buf[i])) i++;
        negative = i < buf.Length && buf[i] == '-';
        if (negative) i++;
        if (i == buf.Length) return -Errno.EINVAL;

        // The kernel's copy: what follows, cut to 63 characters and NUL-terminated.
        Span<byte> text = stackalloc byte[MaxDigits + 1];
        text.Clear();
        var rest = buf[i..];
        rest[..Math.Min(rest.Length, MaxDigits)].CopyTo(text);

        var p = 0;
        if (radix == 0)
            radix = text[0] == '0' ? (Lower(text[1]) == 'x' && KernelCtype.IsXDigit(text[2]) ? 16u : 8u) : 10u;
        if (radix == 16 && text[0] == '0' && Lower(text[1]) == 'x') p = 2;

        var digits = 0;
        var overflow = false;
        for (; ; digits++)
        {
            var c = text[p + digits];
            var lc = c | 0x20;
            uint digit;
            if (c is >= (byte)'0' and <= (byte)'9') digit = (uint)(c - '0');
            else if (lc is >= 'a' and <= 'f') digit = (uint)(lc - 'a' + 10);
            else break;
            if (digit >= radix) break;
            if (value > (ulong.MaxValue - digit) / radix) overflow = true;
            value = unchecked(value * radix + digit);
        }
        if (overflow) return -Errno.ERANGE;
        if (digits == 0) return -Errno.EINVAL;
        return i + p + digits;
    }

    static int Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? c | 0x20 : c;

    /// <summary><c>long bpf_strncmp(const char *s1, u32 s1_sz, const char *s2)</c>: the kernel's strncmp over at most
    /// s1_sz bytes, comparing unsigned bytes and stopping at a NUL; -1, 0 or 1. s2 is a constant string.</summary>
    static ulong Strncmp(Invocation inv, ulong s1, ulong s1Size, ulong s2, ulong r4, ulong r5)
    {
        var first = HelperMemory.Buffer(inv, s1, (uint)s1Size, MemoryAccess.Read);
        var second = HelperMemory.ConstString(inv, s2);
        for (var i = 0; i < first.Length; i++)
        {
            var c1 = first[i];
            var c2 = i < second.Length ? second[i] : (byte)0;
            if (c1 != c2) return c1 < c2 ? ulong.MaxValue : 1;
            if (c1 == 0) break;
        }
        return 0;
    }
}
