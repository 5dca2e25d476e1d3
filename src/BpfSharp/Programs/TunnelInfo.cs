namespace BpfSharp.Programs;

/// <summary>The tunnel metadata <c>bpf_skb_set_tunnel_key</c> attaches to an skb (its <c>ip_tunnel_info</c>, in a
/// metadata dst): the key as the kernel stores it, addresses as they are on the wire (the remote one is the tunnel's
/// destination, the local one its source), the label masked to 20 bits, and the tunnel flags
/// (<c>TUNNEL_*</c>, big-endian when a program reads them); the tunnel options <c>bpf_skb_set_tunnel_opt</c> gave.</summary>
internal sealed record TunnelInfo(bool Ipv6, ulong Id, byte Tos, byte Ttl, uint Label, byte[] Destination, byte[] Source, ushort Flags)
{
    /// <summary>The options (up to 255 bytes, a multiple of 4); none until set.</summary>
    public byte[] Options { get; init; } = [];
}
