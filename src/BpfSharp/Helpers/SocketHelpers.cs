using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>Socket lookups and views (net/core/filter.c): <c>bpf_sk_lookup_tcp</c> (84), <c>bpf_sk_lookup_udp</c>
/// (85), <c>bpf_skc_lookup_tcp</c> (99), <c>bpf_sk_release</c> (86), <c>bpf_sk_fullsock</c> (95),
/// <c>bpf_tcp_sock</c> (96), <c>bpf_get_listener_sock</c> (98), <c>bpf_skc_to_tcp_sock</c> (137), <c>bpf_sock_map_update</c> (53),
/// <c>bpf_sock_hash_update</c> (70), <c>bpf_setsockopt</c> (49), <c>bpf_getsockopt</c> (57). The only socket in BpfSharp's runs is the one a test
/// run of an skb program has (<c>skb->sk</c>, as the kernel's); a lookup finds none, which is the kernel's answer for
/// a tuple no socket of the network namespace has. The verifier still holds programs to the kernel's rules: a looked-up socket is
/// checked against NULL and released on every path.</summary>
internal static class SocketHelpers
{
    /// <summary>struct bpf_sock_tuple's sizes: the IPv4 and the IPv6 half of its union.</summary>
    const ulong Ipv4TupleSize = 12, Ipv6TupleSize = 36;

    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.SkLookupTcp, "bpf_sk_lookup_tcp", Lookup);
        table.RegisterBuiltIn((int)HelperId.SkLookupUdp, "bpf_sk_lookup_udp", Lookup);
        table.RegisterBuiltIn((int)HelperId.SkcLookupTcp, "bpf_skc_lookup_tcp", Lookup);
        table.RegisterBuiltIn((int)HelperId.SkRelease, "bpf_sk_release", (_, _, _, _, _, _) => 0);
        table.RegisterBuiltIn((int)HelperId.SkFullsock, "bpf_sk_fullsock", FullSocket);
        table.RegisterBuiltIn((int)HelperId.TcpSock, "bpf_tcp_sock", (_, _, _, _, _, _) => 0);
        table.RegisterBuiltIn((int)HelperId.GetListenerSock, "bpf_get_listener_sock", (_, _, _, _, _, _) => 0);
        table.RegisterBuiltIn((int)HelperId.SkcToTcpSock, "bpf_skc_to_tcp_sock", (_, _, _, _, _, _) => 0);
        table.RegisterBuiltIn((int)HelperId.SockMapUpdate, "bpf_sock_map_update", SockOpsOnly);
        table.RegisterBuiltIn((int)HelperId.SockHashUpdate, "bpf_sock_hash_update", SockOpsOnly);
        table.RegisterBuiltIn((int)HelperId.Setsockopt, "bpf_setsockopt", SockOpsOnly);
        table.RegisterBuiltIn((int)HelperId.Getsockopt, "bpf_getsockopt", SockOpsOnly);
    }

    /// <summary>bpf_sock_map_update, bpf_sock_hash_update, bpf_setsockopt and bpf_getsockopt act on a sock_ops
    /// program's TCP socket; BpfSharp runs no sock_ops program (the kernel has no test run for them either), so no run
    /// reaches them with one. They are here for the verifier, which checks their programs as the kernel does.</summary>
    static ulong SockOpsOnly(Invocation invocation, ulong context, ulong r2, ulong r3, ulong r4, ulong r5) =>
        throw invocation.Fault("this helper needs a sock_ops program's socket, which BpfSharp's runs do not have");

    /// <summary>The one socket BpfSharp has, a test run's (<c>skb->sk</c>), is a full socket; it is neither TCP nor
    /// listening, so bpf_tcp_sock, bpf_skc_to_tcp_sock and bpf_get_listener_sock give NULL for it.</summary>
    static ulong FullSocket(Invocation invocation, ulong socket, ulong r2, ulong r3, ulong r4, ulong r5) =>
        invocation.ProgramState is Programs.SkBuffSession skb && socket == skb.SocketAddress ? socket : 0;

    /// <summary>The tuple is read as the kernel reads it (a size of neither family's half finds nothing either), then
    /// nothing is found.</summary>
    static ulong Lookup(Invocation invocation, ulong context, ulong tuple, ulong size, ulong netns, ulong flags)
    {
        if (size is Ipv4TupleSize or Ipv6TupleSize) invocation.Memory(tuple, size, MemoryAccess.Read);
        return 0;
    }
}
