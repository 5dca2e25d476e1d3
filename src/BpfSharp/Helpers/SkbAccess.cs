using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>The <c>struct sk_buff</c> behind an <c>__sk_buff</c> context: the test run's <see cref="SkBuffSession"/>.
/// Helpers that take <c>skb</c> need one; without it (a raw context, a host's own program type) they stop the program.</summary>
internal static class SkbAccess
{
    public static SkBuffSession Session(Invocation inv, string helper) =>
        inv.ProgramState as SkBuffSession
        ?? throw inv.Fault($"{helper} needs an skb: run the program as a tc, socket filter, cgroup skb or lwt program");

    /// <summary>The skb of a program that sees the packet from its MAC header (tc), for the helpers that reshape the
    /// frame; BpfSharp runs those for tc programs only.</summary>
    public static SkBuffSession LinkLayerSession(Invocation inv, string helper)
    {
        var skb = Session(inv, helper);
        return skb.SeesLinkLayer ? skb : throw inv.Fault($"{helper}: BpfSharp reshapes the packets of tc programs only");
    }

    /// <summary>The skb of a tc or lwt_xmit program, for <c>bpf_skb_change_tail</c> and <c>bpf_skb_change_head</c>.</summary>
    public static SkBuffSession ResizableSession(Invocation inv, string helper)
    {
        var skb = Session(inv, helper);
        return skb.SeesLinkLayer || skb.Type == ProgramType.LwtXmit ? skb
            : throw inv.Fault($"{helper}: only tc and lwt_xmit programs may resize their packets");
    }

    /// <summary>[skb->data + offset, + length) when it lies within skb->len (<c>skb_header_pointer</c>,
    /// <c>skb_ensure_writable</c>); false otherwise.</summary>
    public static bool TrySlice(SkBuffSession skb, ulong offset, ulong length, out Span<byte> bytes)
    {
        var packet = skb.Packet;
        bytes = default;
        if (offset > (ulong)packet.Length || length > (ulong)packet.Length - offset) return false;
        bytes = packet.Slice((int)offset, (int)length);
        return true;
    }
}
