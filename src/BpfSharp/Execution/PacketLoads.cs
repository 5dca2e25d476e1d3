using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using BpfSharp.Isa;

namespace BpfSharp.Execution;

/// <summary>The legacy packet loads (LD_ABS, LD_IND: big-endian bytes of the packet at a constant or register-relative
/// offset), shared by both engines. The kernel rewrites each into a helper call followed by "if it failed,
/// <c>r0 = 0; exit</c>" (<c>bpf_gen_ld_abs</c>, net/core/filter.c): a load out of bounds ends the running function
/// with 0.</summary>
internal static unsafe class PacketLoads
{
    /// <summary>The loaded value (at most 32 bits), or -1 when the load is outside the packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Load(Invocation inv, Opcode opcode, int imm, ulong src)
    {
        var size = Bpf.SizeInBytes((byte)opcode);
        // The kernel adds the register and the immediate in 64 bits and passes the helper an int offset.
        var offset = Bpf.Mode((byte)opcode) == Bpf.IND ? (int)unchecked(src + (ulong)(long)imm) : imm;
        ulong address;
        if (offset >= 0)
        {
            if ((long)offset + size > inv.PacketLength) return -1;
            address = inv.PacketStart + (ulong)offset;
        }
        else if (HeaderRelative(inv, offset, size) is { } at) address = at;
        else return -1;
        var bytes = new ReadOnlySpan<byte>((void*)address, size);
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        };
    }

    const int SkfNetOff = -0x100000, SkfLinkLayerOff = -0x200000;

    /// <summary><c>bpf_internal_load_pointer_neg_helper</c>: offsets from SKF_NET_OFF count from the network header,
    /// from SKF_LL_OFF from the MAC header; the bytes must lie between the buffer's head and the packet's end.</summary>
    static ulong? HeaderRelative(Invocation inv, int offset, int size)
    {
        var (head, linkLayer, network) = inv.PacketHeaders;
        if (head == 0) return null;
        long at;
        if (offset >= SkfNetOff) at = (long)network + (offset - SkfNetOff);
        else if (offset >= SkfLinkLayerOff) at = (long)linkLayer + (offset - SkfLinkLayerOff);
        else return null;
        return at >= (long)head && at + size <= (long)(inv.PacketStart + inv.PacketLength) ? (ulong)at : null;
    }
}
