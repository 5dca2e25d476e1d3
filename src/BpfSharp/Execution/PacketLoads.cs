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
        var offset = (long)imm + (Bpf.Mode((byte)opcode) == Bpf.IND ? (int)src : 0);
        if (offset < 0 || offset + size > inv.PacketLength) return -1;
        var bytes = new ReadOnlySpan<byte>((void*)(inv.PacketStart + (ulong)offset), size);
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        };
    }
}
