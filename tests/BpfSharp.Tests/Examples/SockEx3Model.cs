using System.Buffers.Binary;

namespace BpfSharp.Tests.Examples;

/// <summary>What examples/sockex3 must do with a frame, worked out here from its description (README, sockex3.c's
/// header) rather than from BpfSharp: the filter sees the packet from the network header; VLAN tags, then IPv4 (not a
/// fragment) or IPv6, then TCP or UDP ports; a flow key of the addresses (IPv6 folded by xor), host-order ports and
/// the protocol; it keeps what it parses, whole, and drops the rest.</summary>
public sealed class SockEx3Model
{
    const int Eth = 14;

    /// <summary>Flow key (hex) → packets and bytes, as the <c>flows</c> map must hold them.</summary>
    public Dictionary<string, (ulong Packets, ulong Bytes)> Flows { get; } = [];

    /// <summary>The filter's return value (the bytes it keeps, 0 to drop) and how many programs the packet went through.</summary>
    public (uint ReturnValue, int Programs) Run(byte[] frame)
    {
        var net = frame.AsSpan(Eth);
        var programs = 1;
        var proto = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        var off = 0;
        while (proto is 0x8100 or 0x88a8)
        {
            programs++;
            if (off + 4 > net.Length) return (0, programs);
            proto = BinaryPrimitives.ReadUInt16BigEndian(net[(off + 2)..]);
            off += 4;
        }
        byte[] src, dst;
        byte protocol;
        if (proto == 0x0800)
        {
            programs++;
            if (off + 20 > net.Length || (net[off] & 0xf) < 5) return (0, programs);
            if ((BinaryPrimitives.ReadUInt16BigEndian(net[(off + 6)..]) & 0x3fff) != 0) return (0, programs);
            (src, dst, protocol) = (net.Slice(off + 12, 4).ToArray(), net.Slice(off + 16, 4).ToArray(), net[off + 9]);
            off += (net[off] & 0xf) * 4;
        }
        else if (proto == 0x86dd)
        {
            programs++;
            if (off + 40 > net.Length) return (0, programs);
            (src, dst, protocol) = (Fold(net.Slice(off + 8, 16)), Fold(net.Slice(off + 24, 16)), net[off + 6]);
            off += 40;
        }
        else
        {
            return (0, programs);
        }
        ushort sport = 0, dport = 0;
        if (protocol is 6 or 17)
        {
            programs++;
            if (off + (protocol == 6 ? 20 : 8) > net.Length) return (0, programs);
            (sport, dport) = (BinaryPrimitives.ReadUInt16BigEndian(net[off..]), BinaryPrimitives.ReadUInt16BigEndian(net[(off + 2)..]));
        }
        var key = new byte[16];
        src.CopyTo(key, 0);
        dst.CopyTo(key, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(8), sport);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(10), dport);
        key[12] = protocol;
        var hex = Convert.ToHexStringLower(key);
        var (packets, bytes) = Flows.GetValueOrDefault(hex);
        Flows[hex] = (packets + 1, bytes + (ulong)net.Length);
        return ((uint)net.Length, programs);
    }

    /// <summary>The flows map as <c>--json</c> prints it: key hex → value hex (packets, bytes as u64 little-endian).</summary>
    public Dictionary<string, string> FlowsAsJson() => Flows.ToDictionary(f => f.Key, f =>
    {
        var value = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(value, f.Value.Packets);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), f.Value.Bytes);
        return Convert.ToHexStringLower(value);
    });

    /// <summary>An IPv6 address folded to 32 bits: the xor of its four words, byte by byte.</summary>
    static byte[] Fold(ReadOnlySpan<byte> address)
    {
        var folded = new byte[4];
        for (var i = 0; i < 16; i++) folded[i % 4] ^= address[i];
        return folded;
    }
}
