using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary><c>bpf_check_mtu</c> (163; net/core/filter.c's <c>bpf_skb_check_mtu</c> and <c>bpf_xdp_check_mtu</c>):
/// whether the packet, <paramref>len_diff</paramref> bytes longer, fits the device's MTU, and the MTU written to
/// <c>*mtu_len</c>. Test runs happen on the loopback device, as the kernel's do: MTU 65536, a 14-byte hardware
/// header, ifindex 1 (0 means the packet's own device); any other device does not exist (-ENODEV).</summary>
internal static class MtuHelpers
{
    const uint LoopbackMtu = 65536;
    const int HardHeaderLength = 14, LoopbackIfindex = 1;
    const ulong CheckSegments = 1; // BPF_MTU_CHK_SEGS
    const ulong FragmentationNeeded = 1; // BPF_MTU_CHK_RET_FRAG_NEEDED

    public static void Register(HelperTable table) =>
        table.RegisterBuiltIn((int)HelperId.CheckMtu, "bpf_check_mtu", CheckMtu);

    static ulong CheckMtu(Invocation inv, ulong context, ulong ifindex, ulong mtuLength, ulong lengthDifference, ulong flags)
    {
        int packetLength;
        switch (inv.ProgramState)
        {
            case SkBuffSession skb:
                if ((flags & ~CheckSegments) != 0) return unchecked((ulong)-Errno.EINVAL);
                packetLength = skb.Packet.Length;
                break;
            case XdpSession xdp:
                if (flags != 0) return unchecked((ulong)-Errno.EINVAL);
                packetLength = (int)(xdp.End - xdp.DataStart);
                break;
            default:
                throw inv.Fault("bpf_check_mtu needs a packet: run the program as a tc or XDP program");
        }
        var mtu = inv.Memory(mtuLength, 4, MemoryAccess.ReadWrite);
        var given = BinaryPrimitives.ReadUInt32LittleEndian(mtu);
        if ((flags & CheckSegments) != 0 && ((uint)lengthDifference != 0 || given != 0)) return unchecked((ulong)-Errno.EINVAL);
        if ((uint)ifindex is not (0 or LoopbackIfindex)) return unchecked((ulong)-Errno.ENODEV);
        // *mtu_len, when set, is an L3 length (as fib_lookup gives it); the kernel's arithmetic is int's.
        var length = given != 0 ? (int)given + HardHeaderLength : packetLength;
        length = unchecked(length + (int)lengthDifference);
        BinaryPrimitives.WriteUInt32LittleEndian(mtu, LoopbackMtu);
        return length <= (int)LoopbackMtu + HardHeaderLength ? 0 : FragmentationNeeded;
    }
}
