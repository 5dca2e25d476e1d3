using BpfSharp.Isa;
using System.Runtime.CompilerServices;

namespace BpfSharp.Execution.JitInternal;

/// <summary>32-bit division and modulo for generated code: <see cref="AluSemantics"/>'s own functions, called rather
/// than inlined. Inlined, their <c>(int)src</c> of a 64-bit register local meets <c>idiv</c>'s fixed registers, and
/// RyuJIT (.NET 10.0.12, x64) was seen to park the local in another register with a 32-bit <c>mov</c> and restore it
/// from there, cutting the register's upper half (found by the differential fuzzer; the reproducer is
/// JitRegressionTests.A_32_bit_signed_division_keeps_the_upper_half_of_its_divisor_register). A call passes full
/// 64-bit values, and a division costs tens of cycles anyway.</summary>
internal static class JitAlu
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Div32(ulong dst, ulong src) => AluSemantics.Div32(dst, src);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong SDiv32(ulong dst, ulong src) => AluSemantics.SDiv32(dst, src);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Mod32(ulong dst, ulong src) => AluSemantics.Mod32(dst, src);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong SMod32(ulong dst, ulong src) => AluSemantics.SMod32(dst, src);
}
