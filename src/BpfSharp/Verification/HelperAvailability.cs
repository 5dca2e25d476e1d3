using BpfSharp.Helpers;
using BpfSharp.Programs;

namespace BpfSharp.Verification;

/// <summary>Which program types may call the helpers that belong to one kind of program (the kernel's per-type
/// <c>get_func_proto</c>: <c>tc_cls_act_func_proto</c>, <c>xdp_func_proto</c>, <c>sk_filter_func_proto</c>,
/// <c>kprobe_prog_func_proto</c>). Helpers of the base set (maps, ring buffers, time, printing...) are open to all.</summary>
internal static class HelperAvailability
{
    static readonly ProgramType[] Tc = [ProgramType.SchedCls, ProgramType.SchedAct];
    static readonly ProgramType[] Skb = [ProgramType.SchedCls, ProgramType.SchedAct, ProgramType.SocketFilter, ProgramType.CgroupSkb,
        ProgramType.LwtIn, ProgramType.LwtOut, ProgramType.LwtXmit, ProgramType.SkSkb];
    // LSM programs get what tracing programs get (bpf_lsm_func_proto falls back to tracing_prog_func_proto).
    static readonly ProgramType[] Tracing = [ProgramType.Kprobe, ProgramType.Tracepoint, ProgramType.RawTracepoint, ProgramType.PerfEvent,
        ProgramType.Tracing, ProgramType.Lsm];
    // Tracing programs may run in any context, where the coarse clock's seqlock could deadlock (commit 5e0bc3082e2e).
    static readonly ProgramType[] NotTracing = Enum.GetValues<ProgramType>().Except(Tracing).ToArray();

    // tc_cls_act_func_proto, xdp_func_proto, sk_skb_func_proto and sock_addr_func_proto look sockets up;
    // tc and cg_skb_func_proto see the skb's socket as a full or TCP socket.
    static readonly ProgramType[] SocketLookups = [.. Tc, ProgramType.Xdp, ProgramType.SkSkb, ProgramType.CgroupSockAddr];
    static readonly ProgramType[] SocketViews = [.. Tc, ProgramType.CgroupSkb];

    static readonly Dictionary<HelperId, ProgramType[]> restricted = new()
    {
        [HelperId.SkbStoreBytes] = Tc,
        [HelperId.L3CsumReplace] = Tc,
        [HelperId.L4CsumReplace] = Tc,
        [HelperId.CsumUpdate] = Tc,
        [HelperId.SkbPullData] = Tc,
        [HelperId.SkbVlanPush] = Tc,
        [HelperId.SkbVlanPop] = Tc,
        [HelperId.SkbAdjustRoom] = [.. Tc, ProgramType.SkSkb],
        [HelperId.SkbChangeTail] = [.. Tc, ProgramType.LwtXmit],
        [HelperId.SkbChangeHead] = [.. Tc, ProgramType.LwtXmit],
        [HelperId.CloneRedirect] = Tc,
        [HelperId.SkbLoadBytes] = Skb,
        [HelperId.SkbLoadBytesRelative] = [.. Tc, ProgramType.SocketFilter, ProgramType.CgroupSkb],
        [HelperId.CsumDiff] = [.. Tc, ProgramType.Xdp, ProgramType.LwtIn, ProgramType.LwtOut, ProgramType.LwtXmit],
        [HelperId.Redirect] = [.. Tc, ProgramType.Xdp, ProgramType.LwtXmit],
        [HelperId.RedirectMap] = [ProgramType.Xdp],
        [HelperId.XdpAdjustHead] = [ProgramType.Xdp],
        [HelperId.XdpAdjustTail] = [ProgramType.Xdp],
        [HelperId.XdpLoadBytes] = [ProgramType.Xdp],
        [HelperId.XdpStoreBytes] = [ProgramType.Xdp],
        [HelperId.XdpAdjustMeta] = [ProgramType.Xdp],
        [HelperId.ProbeRead] = Tracing,
        [HelperId.ProbeReadStr] = Tracing,
        [HelperId.GetFuncIp] = Tracing,
        [HelperId.GetAttachCookie] = Tracing,
        [HelperId.KtimeGetCoarseNs] = NotTracing,
        // One prototype per context kind (an skb's socket, a sock_addr's, a sock_ops', the socket itself), each
        // taking the context; sk_reuseport and tracing programs pass a socket pointer instead, a prototype BpfSharp
        // does not have, so they are refused here.
        [HelperId.GetSocketCookie] = [.. Tc, ProgramType.SocketFilter, ProgramType.CgroupSkb, ProgramType.SkSkb, ProgramType.CgroupSock,
            ProgramType.CgroupSockAddr, ProgramType.SockOps],
        [HelperId.GetNetnsCookie] = [.. Tc, ProgramType.SocketFilter, ProgramType.CgroupSkb, ProgramType.CgroupSock, ProgramType.CgroupSockAddr,
            ProgramType.SockOps, ProgramType.SkMsg, ProgramType.CgroupSockopt],
        // The kernel also gives sock_addr programs their own versions on some hooks; BpfSharp's table cannot tell
        // hooks apart, so it allows the sock_ops ones alone.
        [HelperId.Setsockopt] = [ProgramType.SockOps],
        [HelperId.Getsockopt] = [ProgramType.SockOps],
        [HelperId.SockMapUpdate] = [ProgramType.SockOps],
        [HelperId.SockHashUpdate] = [ProgramType.SockOps],
        [HelperId.GetStackid] = Tracing,
        [HelperId.GetStack] = Tracing,
        [HelperId.SkbGetTunnelKey] = [.. Tc, ProgramType.LwtXmit],
        [HelperId.SkbSetTunnelKey] = [.. Tc, ProgramType.LwtXmit],
        [HelperId.SkbGetTunnelOpt] = [.. Tc, ProgramType.LwtXmit],
        [HelperId.SkbSetTunnelOpt] = [.. Tc, ProgramType.LwtXmit],
        // cgroup_common_func_proto, cg_skb, sock_addr, sock_ops and cgroup sock's func_protos; lsm_cgroup's.
        [HelperId.GetLocalStorage] = [ProgramType.CgroupSkb, ProgramType.CgroupSock, ProgramType.CgroupSockAddr, ProgramType.SockOps,
            ProgramType.CgroupDevice, ProgramType.CgroupSysctl, ProgramType.CgroupSockopt, ProgramType.Lsm],
        [HelperId.GetTaskStack] = Tracing,
        [HelperId.CopyFromUser] = Tracing,
        [HelperId.SeqPrintf] = [ProgramType.Tracing],
        [HelperId.SeqWrite] = [ProgramType.Tracing],
        [HelperId.CheckMtu] = [.. Tc, ProgramType.Xdp],
        [HelperId.SkLookupTcp] = SocketLookups,
        [HelperId.SkLookupUdp] = SocketLookups,
        [HelperId.SkcLookupTcp] = SocketLookups,
        [HelperId.SkRelease] = SocketLookups,
        [HelperId.SkFullsock] = SocketViews,
        [HelperId.TcpSock] = SocketViews,
        [HelperId.GetListenerSock] = SocketViews,
        [HelperId.Unspec] = [],
    };

    /// <summary>Whether a program of <paramref name="type"/> may call helper <paramref name="id"/>. Programs without a
    /// known type (host-defined) may call any helper the host registered.</summary>
    public static bool Allows(ProgramType type, int id) =>
        type == ProgramType.Unspec && id != 0 || !restricted.TryGetValue((HelperId)id, out var types) || types.Contains(type);
}
