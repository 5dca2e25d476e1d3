using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>long bpf_redirect(u32 ifindex, u64 flags)</c> (23), net/core/filter.c. The kernel has two: tc programs
/// get <c>bpf_redirect</c>, which accepts only BPF_F_INGRESS and answers TC_ACT_REDIRECT (7) or, for other flags,
/// TC_ACT_SHOT (2); XDP programs get <c>bpf_xdp_redirect</c>, which accepts no flags and answers XDP_REDIRECT (4) or
/// XDP_ABORTED (0). Neither returns an errno. The target is remembered on the run (the kernel's per-CPU
/// <c>bpf_redirect_info</c>) and shows in <see cref="TestRunResult.Redirect"/>; nothing is sent.</summary>
internal static class RedirectHelpers
{
    const ulong Ingress = 1;                                  // BPF_F_INGRESS
    const ulong TcActShot = 2, TcActRedirect = 7;             // TC_ACT_SHOT, TC_ACT_REDIRECT
    const ulong XdpAborted = 0, XdpRedirect = 4;              // XDP_ABORTED, XDP_REDIRECT

    public static void Register(HelperTable table) =>
        table.RegisterBuiltIn((int)HelperId.Redirect, "bpf_redirect", Redirect);

    static ulong Redirect(Invocation inv, ulong ifindex, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        var xdp = inv.CurrentProgram?.Type == ProgramType.Xdp || inv.ProgramState is XdpSession;
        if (xdp ? flags != 0 : (flags & ~Ingress) != 0) return xdp ? XdpAborted : TcActShot;
        inv.Redirect = new RedirectTarget((uint)ifindex, flags);
        return xdp ? XdpRedirect : TcActRedirect;
    }
}
