using System.Buffers.Binary;

namespace BpfSharp.Events;

/// <summary>Which worker a packet goes to when a capture is replayed on several cores, as a NIC's receive-side scaling
/// (RSS) picks a queue: the Toeplitz hash of the flow under the key of Microsoft's RSS verification suite (which Intel's
/// 82599 datasheet and DPDK test with), then the kernel's default indirection table, whose entry i names queue
/// i % queues (<c>ethtool_rxfh_indir_default</c>). The hash covers source and destination address and, for TCP and
/// UDP, the ports; IP fragments hash on the addresses alone (a later fragment has no ports), so that every
/// fragment of a datagram goes where its first went. Packets that are not IPv4 or IPv6 (behind up to two VLAN tags) go
/// to worker 0. The hash is not symmetric: the two directions of a connection may meet different workers, as on a
/// NIC with this key.</summary>
internal static class FlowHash
{
    /// <summary>Entries of the indirection table (ETH_RXFH_INDIR_DEFAULT size on most NICs).</summary>
    const int IndirectionEntries = 128;

    const ushort Ipv4 = 0x0800, Ipv6 = 0x86dd, Vlan = 0x8100, QinQ = 0x88a8;
    const byte Tcp = 6, Udp = 17;
    const int EthernetHeader = 14, VlanTag = 4, Ipv6Header = 40;

    static ReadOnlySpan<byte> Key =>
    [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ];

    /// <summary>The longest input: two IPv6 addresses and two ports.</summary>
    const int MaxInput = 36;

    /// <summary>For input byte position p and value v, the xor of the key windows its set bits select: the hash is
    /// then one lookup per input byte instead of one shift per bit.</summary>
    static readonly uint[] Table = BuildTable();

    static uint[] BuildTable()
    {
        var table = new uint[MaxInput * 256];
        for (var position = 0; position < MaxInput; position++)
            for (var value = 0; value < 256; value++)
            {
                uint hash = 0;
                for (var bit = 0; bit < 8; bit++)
                    if ((value & (0x80 >> bit)) != 0) hash ^= Window(position * 8 + bit);
                table[position * 256 + value] = hash;
            }
        return table;
    }

    /// <summary>The 32 key bits starting at bit <paramref name="first"/>, most significant first.</summary>
    static uint Window(int first)
    {
        var key = Key;
        ulong bits = 0;
        for (var i = 0; i < 5; i++) bits = bits << 8 | (first / 8 + i < key.Length ? key[first / 8 + i] : 0u);
        return (uint)(bits >> (8 - first % 8));
    }

    /// <summary>The Toeplitz hash of <paramref name="input"/> (at most 36 bytes), in network byte order as RSS reads it.</summary>
    internal static uint Toeplitz(ReadOnlySpan<byte> input)
    {
        uint hash = 0;
        for (var i = 0; i < input.Length; i++) hash ^= Table[i * 256 + input[i]];
        return hash;
    }

    /// <summary>The worker of <paramref name="jobs"/> that receives <paramref name="frame"/>, an Ethernet frame.</summary>
    internal static int Worker(ReadOnlySpan<byte> frame, int jobs) =>
        jobs == 1 || Hash(frame) is not { } hash ? 0 : (int)(hash % IndirectionEntries % (uint)jobs);

    /// <summary>The frame's RSS hash, or null when it is no IP packet with whole addresses.</summary>
    internal static uint? Hash(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetHeader) return null;
        var offset = EthernetHeader;
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        for (var tags = 0; tags < 2 && etherType is Vlan or QinQ && frame.Length >= offset + VlanTag; tags++)
        {
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
            offset += VlanTag;
        }
        var ip = frame[offset..];
        Span<byte> input = stackalloc byte[MaxInput];
        int addresses, ports;
        byte protocol;
        if (etherType == Ipv4)
        {
            if (ip.Length < 20) return null;
            ip.Slice(12, 8).CopyTo(input);
            (addresses, protocol) = (8, ip[9]);
            var fragment = (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3fff) != 0; // MF or an offset
            ports = fragment ? -1 : (ip[0] & 0xf) * 4;
        }
        else if (etherType == Ipv6)
        {
            if (ip.Length < Ipv6Header) return null;
            ip.Slice(8, 32).CopyTo(input);
            (addresses, protocol, ports) = (32, ip[6], Ipv6Header);
        }
        else return null;
        var length = addresses;
        if (protocol is Tcp or Udp && ports >= 20 && ip.Length >= ports + 4)
        {
            ip.Slice(ports, 4).CopyTo(input[addresses..]);
            length += 4;
        }
        return Toeplitz(input[..length]);
    }
}
