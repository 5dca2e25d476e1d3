using System.Runtime.CompilerServices;
using BpfSharp.Isa;

namespace BpfSharp.Execution;

/// <summary>The atomic operations of RFC 9669 §5.3 on real memory, through <see cref="Interlocked"/> so that programs
/// running on several threads over one map see each other's updates. Each returns the value the instruction
/// writes back to a register: the old value for fetch forms, xchg and cmpxchg. The interpreter dispatches on the
/// operation at run time (<see cref="Execute64"/>); the JIT knows it when compiling and calls the operation directly.</summary>
internal static unsafe class Atomics
{
    /// <summary>Load-acquire of <paramref name="size"/> bytes, zero-extended: no later access of this thread moves
    /// before it (the kernel JITs a plain load on x86-64, <c>ldar</c> on arm64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadAcquire(ulong address, int size) => size switch
    {
        1 => Volatile.Read(ref *(byte*)address),
        2 => Volatile.Read(ref *(ushort*)address),
        4 => Volatile.Read(ref *(uint*)address),
        _ => Volatile.Read(ref *(ulong*)address),
    };

    /// <summary>Store-release of the low <paramref name="size"/> bytes of <paramref name="value"/>: no earlier access
    /// of this thread moves after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRelease(ulong address, int size, ulong value)
    {
        switch (size)
        {
            case 1: Volatile.Write(ref *(byte*)address, (byte)value); break;
            case 2: Volatile.Write(ref *(ushort*)address, (ushort)value); break;
            case 4: Volatile.Write(ref *(uint*)address, (uint)value); break;
            default: Volatile.Write(ref *(ulong*)address, value); break;
        }
    }

    public static ulong Execute64(ulong* address, int op, ulong src, ulong r0) => (op & ~Bpf.FETCH) switch
    {
        Bpf.ADD => Add64(address, src),
        Bpf.OR => Or64(address, src),
        Bpf.AND => And64(address, src),
        Bpf.XOR => Xor64(address, src),
        Bpf.XCHG & ~Bpf.FETCH => Xchg64(address, src),
        _ => CmpXchg64(address, src, r0),
    };

    public static uint Execute32(uint* address, int op, uint src, uint r0) => (op & ~Bpf.FETCH) switch
    {
        Bpf.ADD => Add32(address, src),
        Bpf.OR => Or32(address, src),
        Bpf.AND => And32(address, src),
        Bpf.XOR => Xor32(address, src),
        Bpf.XCHG & ~Bpf.FETCH => Xchg32(address, src),
        _ => CmpXchg32(address, src, r0),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add64(ulong* address, ulong src) => Interlocked.Add(ref *address, src) - src;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Or64(ulong* address, ulong src) => Interlocked.Or(ref *address, src);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong And64(ulong* address, ulong src) => Interlocked.And(ref *address, src);

    // No Interlocked.Xor: a compare-exchange loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Xor64(ulong* address, ulong src)
    {
        ulong old;
        do old = Volatile.Read(ref *address);
        while (Interlocked.CompareExchange(ref *address, old ^ src, old) != old);
        return old;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Xchg64(ulong* address, ulong src) => Interlocked.Exchange(ref *address, src);

    // CMPXCHG compares with r0 and always returns the old value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CmpXchg64(ulong* address, ulong src, ulong r0) => Interlocked.CompareExchange(ref *address, src, r0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add32(uint* address, uint src) => Interlocked.Add(ref *address, src) - src;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Or32(uint* address, uint src) => Interlocked.Or(ref *address, src);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint And32(uint* address, uint src) => Interlocked.And(ref *address, src);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Xor32(uint* address, uint src)
    {
        uint old;
        do old = Volatile.Read(ref *address);
        while (Interlocked.CompareExchange(ref *address, old ^ src, old) != old);
        return old;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Xchg32(uint* address, uint src) => Interlocked.Exchange(ref *address, src);

    // Not inlined: inlined where r0 is a 64-bit register truncated to its low half, RyuJIT (.NET 10, x64) moved the
    // whole register into rax for lock cmpxchg and then took eax as already zero-extended; but when the values are
    // equal cmpxchg leaves rax alone, so r0 kept its upper half (the fuzzer found it; JitRegressionTests). Here the
    // comparand is a 32-bit argument, moved with a zero-extending mov.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static uint CmpXchg32(uint* address, uint src, uint r0) => Interlocked.CompareExchange(ref *address, src, r0);
}
