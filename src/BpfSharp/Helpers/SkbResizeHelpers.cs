using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>Changing an skb's length (net/core/filter.c): <c>bpf_skb_change_tail</c> (38) and
/// <c>bpf_skb_change_head</c> (43). Both take flags 0 only and make packets of at most
/// <see cref="SkBuffSession.MaxLength"/> bytes; the tail never cuts into the headers before the network header
/// (<c>__bpf_skb_min_len</c>); new bytes are zero. Each success rewrites the context's len, data and data_end, as the
/// kernel's do (programs must reload them). tc programs see the packet from its MAC header, lwt_xmit programs from the
/// network header, where the tail may shrink to nothing and the head makes room for the L2 header they write.</summary>
internal static class SkbResizeHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SkbChangeTail, "bpf_skb_change_tail", ChangeTail);
        table.RegisterBuiltIn((int)HelperId.SkbChangeHead, "bpf_skb_change_head", ChangeHead);
    }

    /// <summary><c>long bpf_skb_change_tail(skb, u32 len, u64 flags)</c>: 0, or -EINVAL for flags, a length over the
    /// maximum or one that would cut before the network header.</summary>
    static ulong ChangeTail(Invocation inv, ulong ctx, ulong length, ulong flags, ulong r4, ulong r5)
    {
        var skb = SkbAccess.ResizableSession(inv, "bpf_skb_change_tail");
        var newLength = (uint)length;
        if (flags != 0 || newLength > SkBuffSession.MaxLength || newLength < skb.NetworkOffsetFromData) return Errno.Result(-Errno.EINVAL);
        skb.ChangeTail(inv, (int)newLength);
        return 0;
    }

    /// <summary><c>long bpf_skb_change_head(skb, u32 head_room, u64 flags)</c>: 0, or -EINVAL for flags or a packet
    /// that would grow past the maximum.</summary>
    static ulong ChangeHead(Invocation inv, ulong ctx, ulong headRoom, ulong flags, ulong r4, ulong r5)
    {
        var skb = SkbAccess.ResizableSession(inv, "bpf_skb_change_head");
        if (flags != 0 || (ulong)skb.Packet.Length + (uint)headRoom > SkBuffSession.MaxLength) return Errno.Result(-Errno.EINVAL);
        skb.ChangeHead(inv, (int)(uint)headRoom);
        return 0;
    }
}
