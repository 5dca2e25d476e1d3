using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Isa;

/// <summary>The arithmetic whose result C# would get wrong or throw for: division and modulo by zero, signed
/// overflow, byte swaps (RFC 9669 §4.1-4.2). Shared by the interpreter and the JIT (which calls these and lets RyuJIT
/// inline them), so both engines compute the same values.</summary>
internal static class AluSemantics
{
    // Division by zero gives 0 (RFC 9669 §4.1); 32-bit forms look only at the low 32 bits of the divisor.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong dst, ulong src) => src == 0 ? 0 : dst / src;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div32(ulong dst, ulong src) => (uint)src == 0 ? 0 : (uint)dst / (uint)src;

    // Modulo by zero leaves the dividend; the 32-bit form truncates it to 32 bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong dst, ulong src) => src == 0 ? dst : dst % src;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod32(ulong dst, ulong src) => (uint)src == 0 ? (uint)dst : (uint)dst % (uint)src;

    // Signed forms (v4, offset 1): INT_MIN / -1 is INT_MIN and INT_MIN % -1 is 0, where C# would throw.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv64(ulong dst, ulong src) => (long)src switch
    {
        0 => 0,
        -1 => (ulong)unchecked(-(long)dst),
        _ => (ulong)((long)dst / (long)src),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv32(ulong dst, ulong src) => (int)src switch
    {
        0 => 0,
        -1 => (uint)unchecked(-(int)dst),
        _ => (uint)((int)dst / (int)src),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod64(ulong dst, ulong src) => (long)src switch
    {
        0 => dst,
        -1 => 0,
        _ => (ulong)((long)dst % (long)src),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod32(ulong dst, ulong src) => (int)src switch
    {
        0 => (uint)dst,
        -1 => 0,
        _ => (uint)((int)dst % (int)src),
    };

    // le16/32/64 (0xd4) and be16/32/64 (0xdc) convert between host and the named order and truncate to the width;
    // bswap (0xd7, v4) swaps unconditionally.
    public static ulong ToLittleEndian(ulong value, int width) => BitConverter.IsLittleEndian ? Truncate(value, width) : Swap(value, width);

    public static ulong ToBigEndian(ulong value, int width) => BitConverter.IsLittleEndian ? Swap(value, width) : Truncate(value, width);

    static ulong Truncate(ulong value, int width) => width switch { 16 => (ushort)value, 32 => (uint)value, _ => value };

    public static ulong Swap(ulong value, int width) => width switch
    {
        16 => BinaryPrimitives.ReverseEndianness((ushort)value),
        32 => BinaryPrimitives.ReverseEndianness((uint)value),
        _ => BinaryPrimitives.ReverseEndianness(value),
    };
}
