using BpfSharp.Isa;

namespace BpfSharp.Execution;

/// <summary>The atomic operations of RFC 9669 §5.3 on real memory, through <see cref="Interlocked"/> so that programs
/// running on several threads over one map see each other's updates. Each returns the value the instruction
/// writes back to a register: the old value for fetch forms, xchg and cmpxchg.</summary>
internal static unsafe class Atomics
{
    public static ulong Execute64(ulong* address, int op, ulong src, ulong r0)
    {
        ref var cell = ref *address;
        switch (op & ~Bpf.FETCH)
        {
            case Bpf.ADD: return Interlocked.Add(ref cell, src) - src;
            case Bpf.OR: return Interlocked.Or(ref cell, src);
            case Bpf.AND: return Interlocked.And(ref cell, src);
            case Bpf.XOR:
                ulong old;
                do old = Volatile.Read(ref cell);
                while (Interlocked.CompareExchange(ref cell, old ^ src, old) != old);
                return old;
            case Bpf.XCHG & ~Bpf.FETCH: return Interlocked.Exchange(ref cell, src);
            default: return Interlocked.CompareExchange(ref cell, src, r0); // CMPXCHG: compares with r0
        }
    }

    public static uint Execute32(uint* address, int op, uint src, uint r0)
    {
        ref var cell = ref *address;
        switch (op & ~Bpf.FETCH)
        {
            case Bpf.ADD: return Interlocked.Add(ref cell, src) - src;
            case Bpf.OR: return Interlocked.Or(ref cell, src);
            case Bpf.AND: return Interlocked.And(ref cell, src);
            case Bpf.XOR:
                uint old;
                do old = Volatile.Read(ref cell);
                while (Interlocked.CompareExchange(ref cell, old ^ src, old) != old);
                return old;
            case Bpf.XCHG & ~Bpf.FETCH: return Interlocked.Exchange(ref cell, src);
            default: return Interlocked.CompareExchange(ref cell, src, r0);
        }
    }
}
