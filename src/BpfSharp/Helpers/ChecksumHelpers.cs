using System.Runtime.InteropServices;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>Checksum helpers (net/core/filter.c): <c>bpf_l3_csum_replace</c> (10), <c>bpf_l4_csum_replace</c> (11),
/// <c>bpf_csum_diff</c> (28), <c>bpf_csum_update</c> (40). A test run's skb carries no checksum state
/// (<c>ip_summed</c> is CHECKSUM_NONE, as in the kernel's test run), so the L4 form only rewrites the field,
/// BPF_F_PSEUDO_HDR changes nothing, and <c>bpf_csum_update</c> answers -ENOTSUPP.</summary>
internal static class ChecksumHelpers
{
    const ulong HeaderFieldMask = 0xf;             // BPF_F_HDR_FIELD_MASK: the field size, 2 or 4 (0: a diff)
    const ulong PseudoHeader = 1 << 4;             // BPF_F_PSEUDO_HDR
    const ulong MarkMangled0 = 1 << 5;             // BPF_F_MARK_MANGLED_0: a 0 checksum means "none" (UDP)
    const ulong MarkEnforce = 1 << 6;              // BPF_F_MARK_ENFORCE
    const ulong Ipv6 = 1 << 7;                     // BPF_F_IPV6
    const ushort Mangled0 = 0xffff;                // CSUM_MANGLED_0

    /// <summary>The kernel's -ENOTSUPP, 524.</summary>
    const int ENOTSUPP = 524;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.L3CsumReplace, "bpf_l3_csum_replace", L3Replace);
        table.RegisterBuiltIn((int)HelperId.L4CsumReplace, "bpf_l4_csum_replace", L4Replace);
        table.RegisterBuiltIn((int)HelperId.CsumDiff, "bpf_csum_diff", Diff);
        table.RegisterBuiltIn((int)HelperId.CsumUpdate, "bpf_csum_update", Update);
    }

    /// <summary><c>long bpf_l3_csum_replace(skb, u32 offset, u64 from, u64 to, u64 flags)</c>: rewrites the 16-bit
    /// checksum at skb->data + offset for a field that changed from <c>from</c> to <c>to</c> (2 or 4 bytes), or by a
    /// difference <c>to</c> (size 0, from 0).</summary>
    static ulong L3Replace(Invocation inv, ulong ctx, ulong offset, ulong from, ulong to, ulong flags)
    {
        if ((flags & ~HeaderFieldMask) != 0) return Errno.Result(-Errno.EINVAL);
        if (!TryField(inv, "bpf_l3_csum_replace", (uint)offset, out var field)) return Errno.Result(-Errno.EFAULT);
        ref var check = ref MemoryMarshal.Cast<byte, ushort>(field)[0];
        switch (flags & HeaderFieldMask)
        {
            case 0 when from != 0: return Errno.Result(-Errno.EINVAL);
            case 0: check = Checksum.ReplaceByDiff(check, (uint)to); break;
            case 2: check = Checksum.Replace2(check, (ushort)from, (ushort)to); break;
            case 4: check = Checksum.Replace4(check, (uint)from, (uint)to); break;
            default: return Errno.Result(-Errno.EINVAL);
        }
        return 0;
    }

    /// <summary><c>long bpf_l4_csum_replace(skb, u32 offset, u64 from, u64 to, u64 flags)</c>: as the L3 form, plus
    /// BPF_F_MARK_MANGLED_0 (a 0 checksum is left alone unless BPF_F_MARK_ENFORCE, and a result of 0 is stored as
    /// 0xffff), BPF_F_PSEUDO_HDR and BPF_F_IPV6. A 16-bit field is handled as a zero-extended 32-bit one.</summary>
    static ulong L4Replace(Invocation inv, ulong ctx, ulong offset, ulong from, ulong to, ulong flags)
    {
        if ((flags & ~(MarkMangled0 | MarkEnforce | PseudoHeader | Ipv6 | HeaderFieldMask)) != 0) return Errno.Result(-Errno.EINVAL);
        if (!TryField(inv, "bpf_l4_csum_replace", (uint)offset, out var field)) return Errno.Result(-Errno.EFAULT);
        ref var check = ref MemoryMarshal.Cast<byte, ushort>(field)[0];
        var mangled = (flags & MarkMangled0) != 0;
        if (mangled && (flags & MarkEnforce) == 0 && check == 0) return 0;
        switch (flags & HeaderFieldMask)
        {
            case 0 when from != 0: return Errno.Result(-Errno.EINVAL);
            case 0: check = Checksum.ReplaceByDiff(check, (uint)to); break;
            case 2: check = Checksum.Replace4(check, (ushort)from, (ushort)to); break;
            case 4: check = Checksum.Replace4(check, (uint)from, (uint)to); break;
            default: return Errno.Result(-Errno.EINVAL);
        }
        if (mangled && check == 0) check = Mangled0;
        return 0;
    }

    /// <summary>The checksum field: an even offset up to 0xffff whose two bytes lie in the packet.</summary>
    static bool TryField(Invocation inv, string helper, uint offset, out Span<byte> field)
    {
        var skb = SkbAccess.Session(inv, helper);
        field = default;
        return offset <= 0xffff && offset % 2 == 0 && SkbAccess.TrySlice(skb, offset, 2, out field);
    }

    /// <summary><c>s64 bpf_csum_diff(__be32 *from, u32 from_size, __be32 *to, u32 to_size, __wsum seed)</c>: the
    /// ones'-complement sum of seed and to, minus that of from, folded to 16 bits (not complemented) so that every
    /// architecture gives the same value. Since its late-2024 rewrite (measured on 6.18) the kernel checks no sizes:
    /// any size, multiple of 4 or not, 512 bytes or more, and either side may be empty (and NULL).</summary>
    static ulong Diff(Invocation inv, ulong from, ulong fromSize, ulong to, ulong toSize, ulong seed)
    {
        var source = HelperMemory.Buffer(inv, from, (uint)fromSize, MemoryAccess.Read);
        var target = HelperMemory.Buffer(inv, to, (uint)toSize, MemoryAccess.Read);
        var sum = (uint)seed;
        if (!source.IsEmpty && !target.IsEmpty) sum = Checksum.Sub(Checksum.Partial(target, sum), Checksum.Partial(source, 0));
        else if (!target.IsEmpty) sum = Checksum.Partial(target, sum);
        else if (!source.IsEmpty) sum = ~Checksum.Partial(source, ~sum);
        return Checksum.From32To16(sum);
    }

    /// <summary><c>s64 bpf_csum_update(skb, __wsum csum)</c>: adds to skb->csum when the skb carries a complete
    /// checksum; a test run's never does.</summary>
    static ulong Update(Invocation inv, ulong ctx, ulong csum, ulong r3, ulong r4, ulong r5)
    {
        SkbAccess.Session(inv, "bpf_csum_update");
        return Errno.Result(-ENOTSUPP);
    }
}
