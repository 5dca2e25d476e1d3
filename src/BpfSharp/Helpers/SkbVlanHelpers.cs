using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>VLAN tags of a tc program's skb (net/core/filter.c, net/core/skbuff.c): <c>bpf_skb_vlan_push</c> (18)
/// and <c>bpf_skb_vlan_pop</c> (19). The outermost tag lives in the skb's metadata (what <c>__sk_buff</c>'s
/// vlan_present, vlan_tci and vlan_proto show), the ones under it in the packet; each call may change the packet's
/// length, so programs reload data and data_end.</summary>
internal static class SkbVlanHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SkbVlanPush, "bpf_skb_vlan_push", Push);
        table.RegisterBuiltIn((int)HelperId.SkbVlanPop, "bpf_skb_vlan_pop", Pop);
    }

    /// <summary><c>long bpf_skb_vlan_push(skb, __be16 vlan_proto, u16 vlan_tci)</c>: 0. A protocol other than 802.1Q
    /// or 802.1ad is taken as 802.1Q.</summary>
    static ulong Push(Invocation inv, ulong ctx, ulong protocol, ulong tci, ulong r4, ulong r5)
    {
        var skb = SkbAccess.LinkLayerSession(inv, "bpf_skb_vlan_push");
        var etherType = BinaryPrimitives.ReverseEndianness((ushort)protocol);
        skb.VlanPush(inv, new VlanTag(VlanTag.IsVlan(etherType) ? etherType : VlanTag.Dot1Q, (ushort)tci));
        return 0;
    }

    /// <summary><c>long bpf_skb_vlan_pop(skb)</c>: 0 (also when there is no tag), or -ENOMEM.</summary>
    static ulong Pop(Invocation inv, ulong ctx, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Errno.Result(SkbAccess.LinkLayerSession(inv, "bpf_skb_vlan_pop").VlanPop(inv));
}
