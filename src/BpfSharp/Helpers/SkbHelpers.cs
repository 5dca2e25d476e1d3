using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>Packet bytes of an skb (net/core/filter.c): <c>bpf_skb_store_bytes</c> (9), <c>bpf_skb_load_bytes</c>
/// (26) and <c>bpf_skb_load_bytes_relative</c> (68). Offsets count from skb->data (the MAC header for tc, the
/// network header for socket filters), or from the header the relative form names. None changes the packet's
/// length, so the context's data/data_end stay right.</summary>
internal static class SkbHelpers
{
    const ulong RecomputeChecksum = 1 << 0;   // BPF_F_RECOMPUTE_CSUM: adjusts skb->csum, which a test run has none of
    const ulong InvalidateHash = 1 << 1;      // BPF_F_INVALIDATE_HASH: clears skb->hash, which a test run has none of
    const uint HeaderStartMac = 0, HeaderStartNet = 1;   // BPF_HDR_START_MAC, BPF_HDR_START_NET

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SkbStoreBytes, "bpf_skb_store_bytes", StoreBytes);
        table.RegisterBuiltIn((int)HelperId.SkbLoadBytes, "bpf_skb_load_bytes", LoadBytes);
        table.RegisterBuiltIn((int)HelperId.SkbLoadBytesRelative, "bpf_skb_load_bytes_relative", LoadBytesRelative);
        table.RegisterBuiltIn((int)HelperId.SkbPullData, "bpf_skb_pull_data", PullData);
    }

    /// <summary><c>long bpf_skb_pull_data(skb, u32 len)</c>: makes len bytes direct-readable. A test run's skb is all
    /// linear, so that is 0 when the packet has that many bytes (0 means all of them), else -ENOMEM as pskb_may_pull
    /// fails.</summary>
    static ulong PullData(Invocation inv, ulong ctx, ulong length, ulong r3, ulong r4, ulong r5)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_pull_data");
        return (uint)length <= (uint)skb.Packet.Length ? 0 : Errno.Result(-Errno.ENOMEM);
    }

    /// <summary><c>long bpf_skb_store_bytes(skb, u32 offset, const void *from, u32 len, u64 flags)</c>: 0, -EINVAL
    /// for unknown flags, -EFAULT when [offset, offset + len) is not all in the packet.</summary>
    static ulong StoreBytes(Invocation inv, ulong ctx, ulong offset, ulong from, ulong length, ulong flags)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_store_bytes");
        var source = HelperMemory.Buffer(inv, from, (uint)length, MemoryAccess.Read);
        return Errno.Result(Store(skb, offset, source, flags));
    }

    /// <summary><c>__bpf_skb_store_bytes</c>, which writes through an skb dynptr share: 0, -EINVAL for flags it does
    /// not know, -EFAULT past the packet.</summary>
    internal static int Store(SkBuffSession skb, ulong offset, ReadOnlySpan<byte> source, ulong flags)
    {
        if ((flags & ~(RecomputeChecksum | InvalidateHash)) != 0) return -Errno.EINVAL;
        if ((uint)offset > int.MaxValue || !SkbAccess.TrySlice(skb, (uint)offset, (uint)source.Length, out var target))
            return -Errno.EFAULT;
        source.CopyTo(target);
        return 0;
    }

    /// <summary><c>long bpf_skb_load_bytes(skb, u32 offset, void *to, u32 len)</c>: 0, or -EFAULT with to zeroed.</summary>
    static ulong LoadBytes(Invocation inv, ulong ctx, ulong offset, ulong to, ulong length, ulong r5)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_load_bytes");
        return Errno.Result(Load(skb, offset, HelperMemory.Buffer(inv, to, (uint)length, MemoryAccess.Write)));
    }

    /// <summary><c>__bpf_skb_load_bytes</c>, which reads through an skb dynptr share: 0, or -EFAULT with the
    /// destination zeroed.</summary>
    internal static int Load(SkBuffSession skb, ulong offset, Span<byte> destination)
    {
        if ((uint)offset <= int.MaxValue && SkbAccess.TrySlice(skb, (uint)offset, (uint)destination.Length, out var source))
        {
            source.CopyTo(destination);
            return 0;
        }
        destination.Clear();
        return -Errno.EFAULT;
    }

    /// <summary><c>long bpf_skb_load_bytes_relative(skb, u32 offset, void *to, u32 len, u32 start_header)</c>: from
    /// the MAC or the network header, whatever skb->data is; offset at most 0xffff; 0, or -EFAULT with to zeroed.</summary>
    static ulong LoadBytesRelative(Invocation inv, ulong ctx, ulong offset, ulong to, ulong length, ulong startHeader)
    {
        var skb = SkbAccess.Session(inv, "bpf_skb_load_bytes_relative");
        var destination = HelperMemory.Buffer(inv, to, (uint)length, MemoryAccess.Write);
        var frame = skb.Frame;
        var start = (uint)startHeader switch
        {
            HeaderStartMac => 0,
            HeaderStartNet => skb.NetworkOffset,
            _ => -1,
        };
        var at = (ulong)start + (uint)offset;
        if (start >= 0 && (uint)offset <= 0xffff && at <= (ulong)frame.Length && (uint)length <= (ulong)frame.Length - at)
        {
            frame.Slice((int)at, (int)(uint)length).CopyTo(destination);
            return 0;
        }
        destination.Clear();
        return Errno.Result(-Errno.EFAULT);
    }
}
