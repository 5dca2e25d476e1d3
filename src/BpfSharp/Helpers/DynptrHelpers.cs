using BpfSharp.Abi;
using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>The dynptr helpers of kernel/bpf/helpers.c: <c>bpf_dynptr_from_mem</c> (197), <c>bpf_dynptr_read</c>
/// (201), <c>bpf_dynptr_write</c> (202), <c>bpf_dynptr_data</c> (203). Ranges are checked against the dynptr first
/// (-E2BIG), then against the packet for skb and XDP dynptrs, with the errors of the kernel's packet accessors.</summary>
internal static class DynptrHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.DynptrFromMem, "bpf_dynptr_from_mem", FromMem);
        table.RegisterBuiltIn((int)HelperId.DynptrRead, "bpf_dynptr_read", Read);
        table.RegisterBuiltIn((int)HelperId.DynptrWrite, "bpf_dynptr_write", Write);
        table.RegisterBuiltIn((int)HelperId.DynptrData, "bpf_dynptr_data", Data);
    }

    /// <summary><c>long bpf_dynptr_from_mem(void *data, u32 size, u64 flags, struct bpf_dynptr *ptr)</c>: a local
    /// dynptr; -E2BIG over DYNPTR_MAX_SIZE, -EINVAL for any flag, and a NULL dynptr then.</summary>
    static ulong FromMem(Invocation inv, ulong data, ulong size, ulong flags, ulong ptr, ulong r5)
    {
        ref var dynptr = ref DynptrKern.At(inv, ptr);
        var error = (uint)size > DynptrKern.MaxSize ? -Errno.E2BIG : flags != 0 ? -Errno.EINVAL : 0;
        if (error != 0)
        {
            dynptr.SetNull();
            return Errno.Result(error);
        }
        dynptr.Init(data, DynptrType.Local, (uint)size);
        return 0;
    }

    /// <summary><c>long bpf_dynptr_read(void *dst, u32 len, const struct bpf_dynptr *src, u32 offset, u64 flags)</c>.</summary>
    static ulong Read(Invocation inv, ulong dst, ulong len, ulong src, ulong offset, ulong flags)
    {
        var dynptr = DynptrKern.At(inv, src);
        return Errno.Result(ReadInto(inv, dynptr, (uint)offset, HelperMemory.Buffer(inv, dst, (uint)len, MemoryAccess.Write), flags));
    }

    /// <summary><c>__bpf_dynptr_read</c>, which <c>bpf_dynptr_copy</c> shares: -EINVAL from a NULL dynptr or with
    /// flags, -E2BIG past its end, then the packet accessors' errors.</summary>
    internal static int ReadInto(Invocation inv, in DynptrKern dynptr, uint offset, Span<byte> destination, ulong flags)
    {
        if (dynptr.IsNull || flags != 0) return -Errno.EINVAL;
        if (!dynptr.Holds(offset, (uint)destination.Length)) return -Errno.E2BIG;
        var at = dynptr.Offset + offset;
        switch (dynptr.Type)
        {
            case DynptrType.Skb:
                return SkbHelpers.Load(dynptr.Skb(inv), at, destination);
            case DynptrType.Xdp:
                return XdpBytesHelpers.Load(inv, dynptr.Xdp(inv), at, destination);
            default:
                // Span.CopyTo moves overlapping bytes as memmove does: two local dynptrs may share memory.
                HelperMemory.Buffer(inv, dynptr.Data + at, (uint)destination.Length, MemoryAccess.Read).CopyTo(destination);
                return 0;
        }
    }

    /// <summary><c>long bpf_dynptr_write(const struct bpf_dynptr *dst, u32 offset, void *src, u32 len, u64 flags)</c>.</summary>
    static ulong Write(Invocation inv, ulong dst, ulong offset, ulong src, ulong len, ulong flags)
    {
        var dynptr = DynptrKern.At(inv, dst);
        return Errno.Result(WriteFrom(inv, dynptr, (uint)offset, HelperMemory.Buffer(inv, src, (uint)len, MemoryAccess.Read), flags));
    }

    /// <summary><c>__bpf_dynptr_write</c>, which <c>bpf_dynptr_copy</c> and <c>bpf_dynptr_memset</c> share: -EINVAL
    /// into a NULL or read-only dynptr, -E2BIG past its end; flags only for skb dynptrs (those of
    /// bpf_skb_store_bytes).</summary>
    internal static int WriteFrom(Invocation inv, in DynptrKern dynptr, uint offset, ReadOnlySpan<byte> source, ulong flags)
    {
        if (dynptr.IsNull || dynptr.ReadOnly) return -Errno.EINVAL;
        if (!dynptr.Holds(offset, (uint)source.Length)) return -Errno.E2BIG;
        var at = dynptr.Offset + offset;
        if (dynptr.Type == DynptrType.Skb) return SkbHelpers.Store(dynptr.Skb(inv), at, source, flags);
        if (flags != 0) return -Errno.EINVAL;
        if (dynptr.Type == DynptrType.Xdp) return XdpBytesHelpers.Store(inv, dynptr.Xdp(inv), at, source);
        source.CopyTo(HelperMemory.Buffer(inv, dynptr.Data + at, (uint)source.Length, MemoryAccess.Write));
        return 0;
    }

    /// <summary><c>void *bpf_dynptr_data(const struct bpf_dynptr *ptr, u32 offset, u32 len)</c>: the bytes of a local
    /// or ring-buffer dynptr in place; NULL for a read-only dynptr, a range outside it, and for packets (whose bytes
    /// <c>bpf_dynptr_slice</c> gives).</summary>
    static ulong Data(Invocation inv, ulong ptr, ulong offset, ulong len, ulong r4, ulong r5)
    {
        var dynptr = DynptrKern.At(inv, ptr);
        if (dynptr.IsNull || !dynptr.Holds((uint)offset, (uint)len) || dynptr.ReadOnly) return 0;
        return dynptr.Type is DynptrType.Local or DynptrType.Ringbuf ? dynptr.Data + dynptr.Offset + (uint)offset : 0;
    }
}
