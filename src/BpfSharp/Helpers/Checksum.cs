using System.Buffers.Binary;

namespace BpfSharp.Helpers;

/// <summary>The Internet checksum arithmetic the kernel's checksum helpers use (include/net/checksum.h,
/// arch/x86/lib/csum-partial_64.c). Values are what the kernel holds in registers on a little-endian machine: a
/// 16-bit checksum read from the packet as a native u16, words as native u32s; ones'-complement sums do not care
/// about byte order as long as every operand has the same one. 32-bit partial sums are not canonical (many values
/// fold to one checksum), so <see cref="Partial"/> follows x86-64 exactly.</summary>
internal static class Checksum
{
    /// <summary><c>csum_add</c>: 32-bit ones'-complement addition (end-around carry).</summary>
    public static uint Add(uint sum, uint addend)
    {
        var result = sum + addend;
        return result + (result < addend ? 1u : 0u);
    }

    /// <summary><c>csum_sub</c>.</summary>
    public static uint Sub(uint sum, uint addend) => Add(sum, ~addend);

    /// <summary><c>csum_fold</c>: the 32-bit sum folded to 16 bits and complemented.</summary>
    public static ushort Fold(uint sum)
    {
        var folded = (sum & 0xffff) + (sum >> 16);
        folded = (folded & 0xffff) + (folded >> 16);
        return (ushort)~folded;
    }

    /// <summary><c>csum_from32to16</c>: the halves of a 32-bit sum added with end-around carry, not complemented.</summary>
    public static ushort From32To16(uint sum)
    {
        sum += sum >> 16 | sum << 16;
        return (ushort)(sum >> 16);
    }

    /// <summary><c>csum16_add</c>: 16-bit ones'-complement addition.</summary>
    static ushort Add16(ushort sum, ushort addend)
    {
        var result = (ushort)(sum + addend);
        return (ushort)(result + (result < addend ? 1 : 0));
    }

    /// <summary><c>csum_replace_by_diff</c>: applies a 32-bit difference (from <c>bpf_csum_diff</c>) to a checksum.</summary>
    public static ushort ReplaceByDiff(ushort check, uint diff) => Fold(Add(diff, ~(uint)check));

    /// <summary><c>csum_replace4</c>: the checksum after a 32-bit field changed from <paramref name="from"/> to
    /// <paramref name="to"/>; also what the L4 form does for 16-bit fields, zero-extended.</summary>
    public static ushort Replace4(ushort check, uint from, uint to) => Fold(Add(Sub(~(uint)check, from), to));

    /// <summary><c>csum_replace2</c>: the L3 form for a 16-bit field, in 16-bit arithmetic.</summary>
    public static ushort Replace2(ushort check, ushort from, ushort to) => (ushort)~Add16(Add16((ushort)~check, (ushort)~from), to);

    /// <summary>x86-64's <c>csum_partial</c>: <paramref name="seed"/> plus the buffer as little-endian u64s (a short
    /// tail zero-padded), summed with end-around carry, then the two halves of the 64-bit sum added the same way.</summary>
    public static uint Partial(ReadOnlySpan<byte> buffer, uint seed)
    {
        ulong sum = seed;
        while (buffer.Length >= 8)
        {
            sum = Add64(sum, BinaryPrimitives.ReadUInt64LittleEndian(buffer));
            buffer = buffer[8..];
        }
        if (!buffer.IsEmpty)
        {
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            buffer.CopyTo(tail);
            sum = Add64(sum, BinaryPrimitives.ReadUInt64LittleEndian(tail));
        }
        // csum_finalize_sum: the high half of sum + ror64(sum, 32).
        return (uint)((sum + (sum >> 32 | sum << 32)) >> 32);
    }

    static ulong Add64(ulong sum, ulong addend)
    {
        var result = sum + addend;
        return result + (result < addend ? 1ul : 0ul);
    }
}
