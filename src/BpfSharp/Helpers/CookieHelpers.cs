using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_get_socket_cookie</c> (46) and <c>bpf_get_netns_cookie</c> (122), net/core/filter.c: numbers
/// that name a socket and a network namespace for as long as they live. A test run's socket gets a new cookie (its
/// skb's socket is new each run); test runs happen in the initial network namespace, whose cookie Linux 6.18.44 gives
/// as 3 here, for the context's namespace and for NULL alike.</summary>
internal static class CookieHelpers
{
    const ulong InitialNetnsCookie = 3;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.GetSocketCookie, "bpf_get_socket_cookie", SocketCookie);
        table.RegisterBuiltIn((int)HelperId.GetNetnsCookie, "bpf_get_netns_cookie", (_, _, _, _, _, _) => InitialNetnsCookie);
    }

    static ulong SocketCookie(Invocation inv, ulong context, ulong r2, ulong r3, ulong r4, ulong r5) => inv.ProgramState is SkBuffSession skb
        ? skb.SocketCookie
        : throw inv.Fault("bpf_get_socket_cookie needs a socket: BpfSharp's test runs have one for skb programs (tc, socket filter, cgroup skb)");
}
