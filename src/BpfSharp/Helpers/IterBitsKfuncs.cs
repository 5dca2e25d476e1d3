using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>The open-coded bits iterator (kernel/bpf/helpers.c), behind libbpf's <c>bpf_for_each(bits, ...)</c>: its
/// state is the program's 16-byte <c>struct bpf_iter_bits</c> on the stack, read as the kernel's
/// <c>bpf_iter_bits_kern { u64 bits_copy or u64 *bits; int nr_bits; int bit; }</c>. One word is copied into the state;
/// more go to the invocation (<see cref="Invocation.IteratorWords"/>) and the state holds a handle to them, never a
/// host pointer, so that a forged state reads nothing but words a run copied.</summary>
internal static class IterBitsKfuncs
{
    /// <summary>BITS_ITER_NR_WORDS_MAX.</summary>
    const uint MaxWords = 511;

    /// <summary>Where <c>bit</c> is in the state: what next() returns a pointer to.</summary>
    const ulong BitOffset = 12;

    [StructLayout(LayoutKind.Sequential)]
    struct State
    {
        public ulong Bits;
        public int NrBits;
        public int Bit;
    }

    /// <summary><c>int bpf_iter_bits_new(struct bpf_iter_bits *it, const u64 *unsafe_ptr__ign, u32 nr_words)</c>: copies
    /// the words as <c>bpf_probe_read_kernel</c> would; -EINVAL for NULL or no words, -E2BIG over 511, -EFAULT (one
    /// word) or the read's errno (more) when they cannot be read; the iterator is empty then.</summary>
    public static ulong New(Invocation inv, ulong it, ulong words, ulong nrWords, ulong r4, ulong r5)
    {
        ref var s = ref StateAt(inv, it);
        s = new State { Bit = -1 };
        var count = (uint)nrWords;
        if (words == 0 || count == 0) return Errno.Result(-Errno.EINVAL);
        if (count > MaxWords) return Errno.Result(-Errno.E2BIG);
        if (count == 1)
        {
            Span<byte> word = stackalloc byte[8];
            if (ProbeReadHelpers.ReadKernel(inv, words, word) != 0) return Errno.Result(-Errno.EFAULT);
            s.Bits = BinaryPrimitives.ReadUInt64LittleEndian(word);
            s.NrBits = 64;
            return 0;
        }
        var copy = new ulong[count];
        var error = ProbeReadHelpers.ReadKernel(inv, words, MemoryMarshal.AsBytes(copy.AsSpan()));
        if (error != 0) return Errno.Result(error);
        inv.IteratorWords.Add(copy);
        s.Bits = (ulong)inv.IteratorWords.Count;
        s.NrBits = (int)count * 64;
        return 0;
    }

    /// <summary><c>int *bpf_iter_bits_next(struct bpf_iter_bits *it)</c>: the number of the next set bit (in the
    /// iterator itself), or NULL once there is none, after which the iterator stays done.</summary>
    public static ulong Next(Invocation inv, ulong it, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ref var s = ref StateAt(inv, it);
        var (bit, nrBits) = (s.Bit, s.NrBits);
        if (nrBits <= 0 || bit >= nrBits) return 0;
        var words = nrBits == 64 ? MemoryMarshal.CreateReadOnlySpan(ref s.Bits, 1) : CopiedWords(inv, s);
        // find_next_bit from bit + 1, an unsigned offset: anything before -1 is past the end.
        var from = bit + 1L;
        s.Bit = nrBits;
        for (var i = from < 0 ? nrBits : (int)from; i < nrBits; i = (i / 64 + 1) * 64)
        {
            var rest = words[i / 64] >> (i % 64);
            if (rest == 0) continue;
            s.Bit = i + BitOperations.TrailingZeroCount(rest);
            return it + BitOffset;
        }
        return 0;
    }

    /// <summary><c>void bpf_iter_bits_destroy(struct bpf_iter_bits *it)</c>: frees the words of an iterator of more
    /// than one.</summary>
    public static ulong Destroy(Invocation inv, ulong it, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        ref var s = ref StateAt(inv, it);
        if (s.NrBits > 64)
        {
            CopiedWords(inv, s);
            inv.IteratorWords[(int)s.Bits - 1] = null;
        }
        return 0;
    }

    /// <summary>The words behind a state's handle, which must be a live one of this run as long as the state says.</summary>
    static ReadOnlySpan<ulong> CopiedWords(Invocation inv, in State s)
    {
        var all = inv.IteratorWords;
        if (s.Bits - 1 < (ulong)all.Count && all[(int)s.Bits - 1] is { } words && words.Length * 64 == s.NrBits) return words;
        throw inv.Fault($"the bits iterator's state (handle {s.Bits}, {s.NrBits} bits) is not one bpf_iter_bits_new made in this run");
    }

    static ref State StateAt(Invocation inv, ulong it) =>
        ref MemoryMarshal.AsRef<State>(inv.Memory(it, 16, MemoryAccess.ReadWrite));
}
