using BpfSharp.Execution;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>long bpf_redirect(u32 ifindex, u64 flags)</c> (23) and <c>bpf_redirect_map</c> (51), net/core/filter.c. The kernel has two: tc programs
/// get <c>bpf_redirect</c>, which accepts only BPF_F_INGRESS and answers TC_ACT_REDIRECT (7) or, for other flags,
/// TC_ACT_SHOT (2); XDP programs get <c>bpf_xdp_redirect</c>, which accepts no flags and answers XDP_REDIRECT (4) or
/// XDP_ABORTED (0). Neither returns an errno. The target is remembered on the run (the kernel's per-CPU
/// <c>bpf_redirect_info</c>) and shows in <see cref="RunResult.Redirect"/>; nothing is sent.</summary>
internal static class RedirectHelpers
{
    const ulong Ingress = 1;                                  // BPF_F_INGRESS
    const ulong TcActShot = 2, TcActRedirect = 7;             // TC_ACT_SHOT, TC_ACT_REDIRECT
    const ulong XdpAborted = 0, XdpRedirect = 4;              // XDP_ABORTED, XDP_REDIRECT

    /// <summary>The verdicts an XDP program may ask for when bpf_redirect_map finds no entry (BPF_F_ACTION_MASK).</summary>
    const ulong MissAction = 3;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.Redirect, "bpf_redirect", Redirect);
        table.RegisterBuiltIn((int)HelperId.RedirectMap, "bpf_redirect_map", RedirectMap);
    }

    static ulong Redirect(Invocation inv, ulong ifindex, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        var xdp = inv.CurrentProgram?.Type == ProgramType.Xdp || inv.ProgramState is XdpSession;
        if (xdp ? flags != 0 : (flags & ~Ingress) != 0) return xdp ? XdpAborted : TcActShot;
        inv.Redirect = new RedirectTarget((uint)ifindex, flags);
        return xdp ? XdpRedirect : TcActRedirect;
    }

    /// <summary><c>__bpf_xdp_redirect_map</c>: flags beyond the miss action and the map kind's own are
    /// XDP_ABORTED; an empty entry returns the miss action (the flags' low two bits) unless broadcasting, which
    /// needs none; otherwise the entry is the target and the verdict XDP_REDIRECT.</summary>
    static ulong RedirectMap(Invocation inv, ulong handle, ulong key, ulong flags, ulong r4, ulong r5)
    {
        var map = MapHelpers.Resolve(inv, handle) as IRedirectMap
            ?? throw inv.Fault($"map '{MapHelpers.Resolve(inv, handle).Name}' is not a device, CPU or AF_XDP socket map");
        if ((flags & ~(MissAction | map.RedirectFlags)) != 0) return XdpAborted;
        var broadcast = (flags & map.RedirectFlags & RedirectTarget.BroadcastFlag) != 0;
        var target = map.Target((uint)key);
        inv.Redirect = null;
        if (target is null && !broadcast) return flags & MissAction;
        inv.Redirect = broadcast ? new RedirectTarget(0, flags) { Map = ((Map)map).Name } : target!.Value with { Flags = 0 };
        return XdpRedirect;
    }
}
