using BpfSharp.Abi;
using System.Runtime.InteropServices;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>A program's 16-byte <c>struct bpf_dynptr</c>, laid out as the kernel's <c>struct bpf_dynptr_kern</c>: the
/// data pointer, 24 bits of size with 7 of type and the read-only bit above them, and the offset into the data. The
/// verifier keeps programs off these bytes; an unverified program that forges them gains nothing, for every byte a
/// dynptr reaches is found again at each use: packet bytes in the run's own skb or frame, other data through
/// <see cref="Invocation.Memory"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DynptrKern
{
    public const int Bytes = 16;

    /// <summary>DYNPTR_MAX_SIZE: the largest size the 24 bits hold.</summary>
    public const uint MaxSize = (1u << 24) - 1;

    const int TypeShift = 24;
    const uint ReadOnlyBit = 1u << 31;

    public ulong Data;
    uint sizeAndType;
    public uint Offset;

    public readonly bool IsNull => Data == 0;

    public readonly uint Size => sizeAndType & MaxSize;

    public readonly DynptrType Type => (DynptrType)((sizeAndType >> TypeShift) & 0x7f);

    public readonly bool ReadOnly => (sizeAndType & ReadOnlyBit) != 0;

    /// <summary>The dynptr at <paramref name="address"/>, which must be 16 bytes the program may write.</summary>
    public static ref DynptrKern At(Invocation inv, ulong address) =>
        ref MemoryMarshal.AsRef<DynptrKern>(inv.Memory(address, Bytes, MemoryAccess.ReadWrite));

    /// <summary><c>bpf_dynptr_init</c>.</summary>
    public void Init(ulong data, DynptrType type, uint size, bool readOnly = false)
    {
        Data = data;
        Offset = 0;
        sizeAndType = size | (uint)type << TypeShift | (readOnly ? ReadOnlyBit : 0);
    }

    /// <summary><c>bpf_dynptr_set_null</c>: every use fails from now on.</summary>
    public void SetNull() => this = default;

    /// <summary><c>bpf_dynptr_set_size</c>: the type and read-only bit stay.</summary>
    public void SetSize(uint size) => sizeAndType = (sizeAndType & ~MaxSize) | size;

    /// <summary><c>bpf_dynptr_check_off_len</c>: [offset, offset + length) lies within the dynptr.</summary>
    public readonly bool Holds(ulong offset, ulong length) => length <= Size && offset <= Size - length;

    /// <summary>The run's skb when this is an skb dynptr of it.</summary>
    public readonly SkBuffSession Skb(Invocation inv)
    {
        var skb = SkbAccess.Session(inv, "an skb dynptr");
        CheckOwner(inv, skb.Context);
        return skb;
    }

    /// <summary>The run's XDP frame when this is an XDP dynptr of it.</summary>
    public readonly XdpSession Xdp(Invocation inv)
    {
        var xdp = inv.ProgramState as XdpSession ?? throw inv.Fault("an XDP dynptr needs an XDP frame: run the program as an XDP program");
        CheckOwner(inv, xdp.Context);
        return xdp;
    }

    // A packet dynptr's data is the context of the run that made it (the kernel's is the skb or xdp_buff).
    readonly void CheckOwner(Invocation inv, ulong context)
    {
        if (Data != context) throw inv.Fault($"the dynptr names the packet of context 0x{Data:x}, not this run's (0x{context:x})");
    }
}
