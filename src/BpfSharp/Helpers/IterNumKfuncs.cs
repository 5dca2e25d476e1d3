using System.Runtime.InteropServices;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>The open-coded number iterator (kernel/bpf/bpf_iter.c), behind libbpf's <c>bpf_for</c> and
/// <c>bpf_repeat</c>: its state is the program's 8-byte <c>struct bpf_iter_num</c> on the stack, read as the kernel's
/// <c>bpf_iter_num_kern { int cur; int end; }</c>. The verifier proves the pointer is an iterator of the program's own
/// stack; an unverified run gets it checked as any helper's memory.</summary>
internal static class IterNumKfuncs
{
    [StructLayout(LayoutKind.Sequential)]
    struct State
    {
        public int Current;
        public int End;
    }

    /// <summary><c>bpf_iter_num_new(it, start, end)</c>: [start, end); an empty iterator and -EINVAL for start &gt; end,
    /// -E2BIG for more than BPF_MAX_LOOPS numbers.</summary>
    public static ulong New(Invocation inv, ulong it, ulong start, ulong end, ulong r4, ulong r5)
    {
        ref var s = ref StateAt(inv, it);
        var (first, last) = ((int)start, (int)end);
        if (first > last || (long)last - first > Isa.Bpf.MaxLoops)
        {
            s = default;
            return Errno.Result(first > last ? -Errno.EINVAL : -Errno.E2BIG);
        }
        // next() moves to start before its first result; start - 1 may wrap, as it does in the kernel.
        s.Current = unchecked(first - 1);
        s.End = last;
        return 0;
    }

    /// <summary><c>bpf_iter_num_next(it)</c>: the address of the next number (in the iterator itself), or NULL once
    /// the range is done, after which the iterator stays empty.</summary>
    public static ulong Next(Invocation inv, ulong it, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ref var s = ref StateAt(inv, it);
        if (unchecked(s.Current + 1) >= (long)s.End)
        {
            s = default;
            return 0;
        }
        s.Current++;
        return it;
    }

    /// <summary><c>bpf_iter_num_destroy(it)</c>: empties the iterator.</summary>
    public static ulong Destroy(Invocation inv, ulong it, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        StateAt(inv, it) = default;
        return 0;
    }

    static ref State StateAt(Invocation inv, ulong it) =>
        ref MemoryMarshal.AsRef<State>(inv.Memory(it, 8, MemoryAccess.ReadWrite));
}
