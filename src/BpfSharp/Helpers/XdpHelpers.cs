using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>Moving an XDP frame's boundaries (net/core/filter.c): <c>bpf_xdp_adjust_head</c> (44),
/// <c>bpf_xdp_adjust_meta</c> (54), <c>bpf_xdp_adjust_tail</c> (65). The frame lives in one 4096-byte page: the
/// first 40 bytes are kept for the <c>struct xdp_frame</c> a redirect would write there, the last 320 for
/// <c>skb_shared_info</c>, and the packet never gets shorter than an Ethernet header. Each success rewrites the
/// context's data, data_end and data_meta, as the kernel's do (programs must reload them).</summary>
internal static class XdpHelpers
{
    const int EthernetHeader = 14;     // ETH_HLEN
    const int FrameReserve = 40;       // sizeof(struct xdp_frame) on 64-bit kernels
    const int MaxMeta = 252;           // xdp_metalen_invalid: at most 255 (u8 skb_shared_info.meta_len), 4-aligned

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.XdpAdjustHead, "bpf_xdp_adjust_head", AdjustHead);
        table.RegisterBuiltIn((int)HelperId.XdpAdjustMeta, "bpf_xdp_adjust_meta", AdjustMeta);
        table.RegisterBuiltIn((int)HelperId.XdpAdjustTail, "bpf_xdp_adjust_tail", AdjustTail);
    }

    static XdpSession Session(Invocation inv, string helper) =>
        inv.ProgramState as XdpSession ?? throw inv.Fault($"{helper} needs an XDP frame: run the program as an XDP program");

    /// <summary><c>long bpf_xdp_adjust_head(struct xdp_md *ctx, int delta)</c>: moves data by delta (negative grows
    /// the packet into the headroom), taking the metadata along; -EINVAL past the reserve or closer than 14 bytes to
    /// the end.</summary>
    static ulong AdjustHead(Invocation inv, ulong ctx, ulong delta, ulong r3, ulong r4, ulong r5)
    {
        var xdp = Session(inv, "bpf_xdp_adjust_head");
        var offset = (long)(int)delta;
        var metaLength = xdp.DataStart - xdp.MetaStart;
        var data = xdp.DataStart + (ulong)offset;
        if ((long)(data - (xdp.FrameStart + FrameReserve + metaLength)) < 0 || (long)(xdp.End - EthernetHeader - data) < 0)
            return Errno.Result(-Errno.EINVAL);
        if (metaLength != 0)
            inv.Memory(xdp.MetaStart, metaLength, MemoryAccess.Read).CopyTo(inv.Memory(xdp.MetaStart + (ulong)offset, metaLength, MemoryAccess.Write));
        xdp.MetaStart += (ulong)offset;
        xdp.DataStart = data;
        xdp.Adjusted(inv);
        return 0;
    }

    /// <summary><c>long bpf_xdp_adjust_meta(struct xdp_md *ctx, int delta)</c>: moves data_meta by delta (negative
    /// makes room for metadata); -EINVAL outside [reserve, data], -EACCES for a length that is not a multiple of 4 or
    /// is over 252.</summary>
    static ulong AdjustMeta(Invocation inv, ulong ctx, ulong delta, ulong r3, ulong r4, ulong r5)
    {
        var xdp = Session(inv, "bpf_xdp_adjust_meta");
        var meta = xdp.MetaStart + (ulong)(long)(int)delta;
        if ((long)(meta - (xdp.FrameStart + FrameReserve)) < 0 || (long)(xdp.DataStart - meta) < 0)
            return Errno.Result(-Errno.EINVAL);
        var metaLength = xdp.DataStart - meta;
        if (metaLength % 4 != 0 || metaLength > MaxMeta) return Errno.Result(-Errno.EACCES);
        xdp.MetaStart = meta;
        xdp.Adjusted(inv);
        return 0;
    }

    /// <summary><c>long bpf_xdp_adjust_tail(struct xdp_md *ctx, int delta)</c>: moves data_end by delta, up to the
    /// page's tailroom (new bytes are zeroed) and down to 14 bytes after data; -EINVAL beyond.</summary>
    static ulong AdjustTail(Invocation inv, ulong ctx, ulong delta, ulong r3, ulong r4, ulong r5)
    {
        var xdp = Session(inv, "bpf_xdp_adjust_tail");
        var offset = (long)(int)delta;
        var end = xdp.End + (ulong)offset;
        if ((long)(xdp.FrameEnd - end) < 0 || (long)(end - (xdp.DataStart + EthernetHeader)) < 0)
            return Errno.Result(-Errno.EINVAL);
        if (offset > 0) inv.Memory(xdp.End, (ulong)offset, MemoryAccess.Write).Clear();
        xdp.End = end;
        xdp.Adjusted(inv);
        return 0;
    }
}
