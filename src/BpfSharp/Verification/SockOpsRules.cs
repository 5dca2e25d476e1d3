using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_sock_ops</c> for sock_ops programs (<c>sock_ops_is_valid_access</c>): u32 fields read
/// whole, the reply and sk_txhash the only writes, bytes_received/bytes_acked and skb_hwtstamp read as u64, sk a
/// socket or NULL, skb_data/skb_data_end the packet (read-only, may_access_direct_pkt_data); return 0 or 1.</summary>
internal sealed class SockOpsRules : ContextRules
{
    const int Reply = 4, SkTxhash = 164, BytesReceived = 168, Sk = 184, SkbData = 192, SkbDataEnd = 200, SkbLen = 208,
        SkbTcpFlags = 212, SkbHwtstamp = 216, StructSize = 224;

    public override string Name => "bpf_sock_ops";

    public override int Size => StructSize;

    public override bool PacketWritable => false;

    public override (long Min, long Max)? ReturnRange => (0, 1);

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = offset switch
        {
            Sk => RegisterKind.SockOrNull,
            SkbData => RegisterKind.Packet,
            SkbDataEnd => RegisterKind.PacketEnd,
            _ => RegisterKind.Scalar,
        };
        if (offset < 0 || offset >= StructSize || offset % size != 0) return false;
        if (write) return offset is Reply or SkTxhash && size == 4;
        return offset switch
        {
            // The u64 fields and the pointers, anywhere in their 8 bytes (bpf_ctx_range_ptr): whole only.
            >= BytesReceived and < SkbLen or >= SkbHwtstamp => size == 8,
            // skb_tcp_flags may be read in part (bpf_ctx_narrow_access_ok).
            >= SkbTcpFlags and < SkbTcpFlags + 4 => size <= 4,
            _ => size == 4,
        };
    }
}
