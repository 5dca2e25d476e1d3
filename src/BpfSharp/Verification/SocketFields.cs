using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>Which loads a program may make through a socket pointer (net/core/filter.c's
/// <c>bpf_sock_is_valid_access</c>, <c>bpf_sock_common_is_valid_access</c>, <c>bpf_tcp_sock_is_valid_access</c>):
/// the uapi <c>struct bpf_sock</c> and <c>struct bpf_tcp_sock</c> views the kernel translates into the socket's own
/// fields. Sockets are never written.</summary>
internal static class SocketFields
{
    // struct bpf_sock: bound_dev_if 0, family 4, type 8, protocol 12, mark 16, priority 20, src_ip4 24,
    // src_ip6[4] 28, src_port 44, dst_port 48 (__be16, then 16 bits of padding), dst_ip4 52, dst_ip6[4] 56, state 72,
    // rx_queue_mapping 76; 80 bytes.
    const int SockSize = 80, Type = 8, Priority = 20, SrcIp4 = 24, SrcPort = 44, DstPort = 48, DstIp4 = 52, State = 72;

    // struct bpf_tcp_sock: u32 counters up to icsk_retransmits (ending at 112), but bytes_received (80) and
    // bytes_acked (88), which are u64.
    const int TcpSockEnd = 112, BytesReceived = 80, BytesAcked = 88;

    /// <summary>Whether a <paramref name="size"/>-byte load at <paramref name="offset"/> of a socket of this kind is
    /// one the kernel translates.</summary>
    public static bool Readable(RegisterKind kind, long offset, int size) => kind switch
    {
        RegisterKind.TcpSock => TcpSock(offset, size),
        // struct bpf_xdp_sock has one field, the queue id.
        RegisterKind.XdpSock => offset == 0 && size == 4,
        // A request or time-wait socket has no type, protocol, mark or priority.
        RegisterKind.SockCommon => offset is not (>= Type and < Priority + 4) && Sock(offset, size),
        _ => Sock(offset, size),
    };

    static bool Sock(long offset, int size)
    {
        if (offset < 0 || offset >= SockSize || offset % size != 0) return false;
        var field = offset - offset % 4;
        if (field == State || field is 4 or Type or 12 or SrcPort or 76 || field is >= SrcIp4 and < SrcPort || field is >= DstIp4 and < State)
            return NarrowOk(offset, size, 4);
        if (field == DstPort)
        {
            // dst_port: the whole 4-byte word, or its 2 network-order bytes; the padding after them is not a field.
            var fieldSize = size == 4 ? 4 : 2;
            return offset < DstPort + 2 && NarrowOk(offset, size, fieldSize);
        }
        return size == 4;
    }

    /// <summary><c>bpf_ctx_narrow_access_ok</c>: a whole field, or a part of it at a multiple of its size.</summary>
    static bool NarrowOk(long offset, int size, int fieldSize) => size == fieldSize || size < fieldSize && (offset & (fieldSize - 1)) % size == 0;

    static bool TcpSock(long offset, int size)
    {
        if (offset < 0 || offset >= TcpSockEnd || offset % size != 0) return false;
        return offset is BytesReceived or BytesAcked ? size == 8 : size == 4;
    }
}
