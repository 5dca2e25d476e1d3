using System.Buffers.Binary;

namespace BpfSharp.Programs;

/// <summary>An 802.1Q or 802.1ad tag: its protocol (the TPID, host order) and its TCI (priority, DEI, VLAN id).</summary>
internal readonly record struct VlanTag(ushort Protocol, ushort Tci)
{
    /// <summary>Bytes a tag takes in a frame: TPID and TCI.</summary>
    public const int Length = 4;

    public const ushort Dot1Q = 0x8100, Dot1AD = 0x88a8;   // ETH_P_8021Q, ETH_P_8021AD

    /// <summary><c>eth_type_vlan</c>.</summary>
    public static bool IsVlan(ushort etherType) => etherType is Dot1Q or Dot1AD;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Protocol);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Tci);
    }
}
