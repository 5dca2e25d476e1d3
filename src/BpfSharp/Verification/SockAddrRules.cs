using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_sock_addr</c> for cgroup sock_addr programs (<c>sock_addr_is_valid_access</c>,
/// <c>check_return_code</c>): which address fields exist depends on the hook the section names (an IPv4 one has
/// <c>user_ip4</c>, only sendmsg has <c>msg_src_ip*</c>), the address and port are writable, and what the program may
/// return too (1 only for recvmsg, getpeername and getsockname; 0-3 for bind).</summary>
internal sealed class SockAddrRules(string? hook) : ContextRules
{
    // user_family 0, user_ip4 4, user_ip6[4] 8, user_port 24, family 28, type 32, protocol 36, msg_src_ip4 40,
    // msg_src_ip6[4] 44, sk 64 (a pointer); 72 bytes.
    const int UserIp4 = 4, UserIp6 = 8, UserPort = 24, MsgSrcIp4 = 40, MsgSrcIp6 = 44, Sk = 64, StructSize = 72;

    static readonly string[] Inet4 = ["bind4", "connect4", "getpeername4", "getsockname4", "sendmsg4", "recvmsg4"];
    static readonly string[] Inet6 = ["bind6", "connect6", "getpeername6", "getsockname6", "sendmsg6", "recvmsg6"];

    public override string Name => "bpf_sock_addr";

    public override int Size => StructSize;

    public override (long Min, long Max)? ReturnRange => hook switch
    {
        "recvmsg4" or "recvmsg6" or "recvmsg_unix" or "getpeername4" or "getpeername6" or "getpeername_unix"
            or "getsockname4" or "getsockname6" or "getsockname_unix" => (1, 1),
        "bind4" or "bind6" => (0, 3),
        _ => (0, 1),
    };

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        if (offset < 0 || offset >= StructSize || offset % size != 0) return false;
        // Fields of another address family than the hook's, or of sendmsg alone, are not there.
        if (In(offset, UserIp4, 4) && !Inet4.Contains(hook) || In(offset, UserIp6, 16) && !Inet6.Contains(hook)
            || In(offset, MsgSrcIp4, 4) && hook != "sendmsg4" || In(offset, MsgSrcIp6, 16) && hook != "sendmsg6")
            return false;
        if (In(offset, UserIp4, UserPort + 4 - UserIp4) || In(offset, MsgSrcIp4, 4) || In(offset, MsgSrcIp6, 16))
        {
            // 8 bytes at once inside an IPv6 address; else whole words to write, parts of one to read.
            if (size == 8 && offset % 8 == 0 && (In(offset, UserIp6, 16) && offset + 8 <= UserIp6 + 16 || In(offset, MsgSrcIp6, 16) && offset + 8 <= MsgSrcIp6 + 16))
                return true;
            return write ? size == 4 : size <= 4;
        }
        // The padding that aligns sk to 8 bytes is no field; the socket itself (PTR_TO_SOCKET in the kernel) is one
        // BpfSharp's sock_addr runs have none to give.
        if (offset >= MsgSrcIp6 + 16) return false;
        return !write && size == 4;
    }

    static bool In(int offset, int field, int width) => offset >= field && offset < field + width;
}
