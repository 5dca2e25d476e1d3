using System.Buffers.Binary;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>What examples/chain must do with a frame, worked out from its description (README, the stages' headers):
/// count by outer EtherType; drop IPv4 TCP/UDP to port 23; let non-IPv4 skip the rewriter; decrement IPv4 TTLs
/// (dropping at 1) with a correct header checksum; XDP_PASS (2) or XDP_DROP (1).</summary>
public sealed class ChainModel(ushort blockedPort = 23)
{
    /// <summary>EtherType → packets and bytes (the counter stage's <c>ethertypes</c> map).</summary>
    public SortedDictionary<ushort, (ulong Packets, ulong Bytes)> EtherTypes { get; } = [];

    /// <summary>Packets the filter dropped (its <c>blocked</c> counter).</summary>
    public ulong Blocked { get; private set; }

    /// <summary>The action, how many stages ran, and the frame as it leaves (null when dropped).</summary>
    public (uint Action, int Programs, byte[]? Output) Run(byte[] frame)
    {
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        var (packets, bytes) = EtherTypes.GetValueOrDefault(type);
        EtherTypes[type] = (packets + 1, bytes + (ulong)frame.Length);
        if (frame.Length < 14 + 20 || type != 0x0800) return (2, 2, frame);
        var ports = 14 + (frame[14] & 0xf) * 4;
        if (frame[23] is 6 or 17 && ports + 4 <= frame.Length && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(ports + 2)) == blockedPort)
        {
            Blocked++;
            return (1, 2, null);
        }
        if (frame[22] <= 1) return (1, 3, null);
        var output = (byte[])frame.Clone();
        output[22]--;
        var header = output.AsSpan(14, (output[14] & 0xf) * 4);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], Packets.HeaderChecksum(header));
        return (2, 3, output);
    }
}
