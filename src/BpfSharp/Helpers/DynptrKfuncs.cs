using BpfSharp.Abi;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Helpers;

/// <summary>The dynptr kfuncs (kernel/bpf/helpers.c, net/core/filter.c): dynptrs over the packet of an skb or an XDP
/// frame, slices, and the accessors. Sizes and offsets are u32, as Linux 6.18's BTF declares them.</summary>
internal static class DynptrKfuncs
{
    /// <summary><c>int bpf_dynptr_from_skb(struct __sk_buff *s, u64 flags, struct bpf_dynptr *ptr__uninit)</c>: the
    /// packet from <c>skb->data</c>, <c>skb->len</c> bytes; read-only for the program types that may not write their
    /// packet (the kernel swaps in <c>bpf_dynptr_from_skb_rdonly</c> for them).</summary>
    public static ulong FromSkb(Invocation inv, ulong ctx, ulong flags, ulong ptr, ulong r4, ulong r5)
    {
        ref var dynptr = ref DynptrKern.At(inv, ptr);
        var skb = SkbAccess.Session(inv, "bpf_dynptr_from_skb");
        if (flags != 0)
        {
            dynptr.SetNull();
            return Errno.Result(-Errno.EINVAL);
        }
        dynptr.Init(skb.Context, DynptrType.Skb, (uint)skb.Packet.Length, readOnly: !ProgramTypes.WritesPacket(skb.Type));
        return 0;
    }

    /// <summary><c>int bpf_dynptr_from_xdp(struct xdp_md *x, u64 flags, struct bpf_dynptr *ptr__uninit)</c>: the frame
    /// from <c>data</c> to <c>data_end</c>.</summary>
    public static ulong FromXdp(Invocation inv, ulong ctx, ulong flags, ulong ptr, ulong r4, ulong r5)
    {
        ref var dynptr = ref DynptrKern.At(inv, ptr);
        var xdp = inv.ProgramState as XdpSession ?? throw inv.Fault("bpf_dynptr_from_xdp needs an XDP frame: run the program as an XDP program");
        if (flags != 0)
        {
            dynptr.SetNull();
            return Errno.Result(-Errno.EINVAL);
        }
        dynptr.Init(xdp.Context, DynptrType.Xdp, (uint)(xdp.End - xdp.DataStart));
        return 0;
    }

    /// <summary><c>void *bpf_dynptr_slice(const struct bpf_dynptr *p, u32 offset, void *buffer__opt, u32 buffer__szk)</c>:
    /// the bytes in place, or NULL when the range is outside the dynptr or the packet. BpfSharp's packets are linear,
    /// so the buffer, for bytes in an skb's or frame's fragments, is never needed but once: an XDP frame that shrank
    /// under its dynptr, where the kernel copies what is left of the range into it (<c>bpf_xdp_copy_buf</c>).</summary>
    public static ulong Slice(Invocation inv, ulong p, ulong offset, ulong buffer, ulong size, ulong r5)
    {
        var dynptr = DynptrKern.At(inv, p);
        var (at, length) = ((uint)offset, (uint)size);
        if (dynptr.IsNull || !dynptr.Holds(at, length)) return 0;
        at += dynptr.Offset;
        switch (dynptr.Type)
        {
            case DynptrType.Skb:
            {
                var skb = dynptr.Skb(inv);
                return SkbAccess.TrySlice(skb, at, length, out _) ? skb.Data + at : 0;
            }
            case DynptrType.Xdp:
            {
                var xdp = dynptr.Xdp(inv);
                var head = xdp.End - xdp.DataStart;
                if ((ulong)at + length <= head) return xdp.DataStart + at;
                if (buffer == 0) return 0;
                if (at < head)
                    inv.Memory(xdp.DataStart + at, head - at, MemoryAccess.Read).CopyTo(inv.Memory(buffer, length, MemoryAccess.Write));
                return buffer;
            }
            default:
                return dynptr.Data + at;
        }
    }

    /// <summary><c>bpf_dynptr_slice_rdwr</c>: as <see cref="Slice"/>, NULL for a read-only dynptr.</summary>
    public static ulong SliceRdwr(Invocation inv, ulong p, ulong offset, ulong buffer, ulong size, ulong r5) =>
        DynptrKern.At(inv, p).ReadOnly ? 0 : Slice(inv, p, offset, buffer, size, r5);

    /// <summary><c>int bpf_dynptr_adjust(const struct bpf_dynptr *p, u32 start, u32 end)</c>: the dynptr now covers
    /// [start, end) of what it covered; -ERANGE past its end, -EINVAL for start &gt; end or a NULL dynptr.</summary>
    public static ulong Adjust(Invocation inv, ulong p, ulong start, ulong end, ulong r4, ulong r5)
    {
        ref var dynptr = ref DynptrKern.At(inv, p);
        var (from, to) = ((uint)start, (uint)end);
        if (dynptr.IsNull) return Errno.Result(-Errno.EINVAL);
        if (from > dynptr.Size || to > dynptr.Size) return Errno.Result(-Errno.ERANGE);
        if (from > to) return Errno.Result(-Errno.EINVAL);
        dynptr.Offset += from;
        dynptr.SetSize(to - from);
        return 0;
    }

    /// <summary><c>bool bpf_dynptr_is_null(const struct bpf_dynptr *p)</c>.</summary>
    public static ulong IsNull(Invocation inv, ulong p, ulong r2, ulong r3, ulong r4, ulong r5) => DynptrKern.At(inv, p).IsNull ? 1UL : 0;

    /// <summary><c>bool bpf_dynptr_is_rdonly(const struct bpf_dynptr *p)</c>: false for a NULL dynptr.</summary>
    public static ulong IsReadOnly(Invocation inv, ulong p, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var dynptr = DynptrKern.At(inv, p);
        return !dynptr.IsNull && dynptr.ReadOnly ? 1UL : 0;
    }

    /// <summary><c>__u32 bpf_dynptr_size(const struct bpf_dynptr *p)</c>: -EINVAL, as a u32, for a NULL dynptr.</summary>
    public static ulong Size(Invocation inv, ulong p, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var dynptr = DynptrKern.At(inv, p);
        return dynptr.IsNull ? unchecked((uint)-Errno.EINVAL) : dynptr.Size;
    }

    /// <summary><c>int bpf_dynptr_clone(const struct bpf_dynptr *p, struct bpf_dynptr *clone__uninit)</c>: a copy,
    /// adjusted apart from then on; a NULL clone and -EINVAL from a NULL dynptr.</summary>
    public static ulong Clone(Invocation inv, ulong p, ulong clone, ulong r3, ulong r4, ulong r5)
    {
        var dynptr = DynptrKern.At(inv, p);
        ref var copy = ref DynptrKern.At(inv, clone);
        if (dynptr.IsNull)
        {
            copy.SetNull();
            return Errno.Result(-Errno.EINVAL);
        }
        copy = dynptr;
        return 0;
    }

    /// <summary><c>int bpf_dynptr_copy(struct bpf_dynptr *dst_ptr, u32 dst_off, struct bpf_dynptr *src_ptr, u32 src_off,
    /// u32 size)</c>: in place between two slices when both are there (memmove), otherwise through a write from the
    /// source's slice or a read into the destination's, with their errors; -E2BIG when neither range is there.</summary>
    public static ulong Copy(Invocation inv, ulong dst, ulong dstOffset, ulong src, ulong srcOffset, ulong size)
    {
        var length = (uint)size;
        var from = Slice(inv, src, srcOffset, 0, length, 0);
        var to = SliceRdwr(inv, dst, dstOffset, 0, length, 0);
        if (from != 0 && to != 0)
        {
            Bytes(inv, from, length, MemoryAccess.Read).CopyTo(Bytes(inv, to, length, MemoryAccess.Write));
            return 0;
        }
        var (target, source) = (DynptrKern.At(inv, dst), DynptrKern.At(inv, src));
        if (from != 0) return Errno.Result(DynptrHelpers.WriteFrom(inv, target, (uint)dstOffset, Bytes(inv, from, length, MemoryAccess.Read), 0));
        if (to != 0) return Errno.Result(DynptrHelpers.ReadInto(inv, source, (uint)srcOffset, Bytes(inv, to, length, MemoryAccess.Write), 0));
        if (!target.Holds((uint)dstOffset, length) || !source.Holds((uint)srcOffset, length)) return Errno.Result(-Errno.E2BIG);
        // Both ranges are in their dynptrs but not in place (a packet that shrank): the kernel's 256-byte bounce buffer.
        Span<byte> bounce = stackalloc byte[BounceSize];
        for (uint done = 0; done < length; done += BounceSize)
        {
            var chunk = bounce[..(int)Math.Min(BounceSize, length - done)];
            var error = DynptrHelpers.ReadInto(inv, source, (uint)srcOffset + done, chunk, 0);
            if (error == 0) error = DynptrHelpers.WriteFrom(inv, target, (uint)dstOffset + done, chunk, 0);
            if (error != 0) return Errno.Result(error);
        }
        return 0;
    }

    /// <summary><c>int bpf_dynptr_memset(struct bpf_dynptr *p, u32 offset, u32 size, u8 val)</c>: in place when the
    /// range is there; otherwise -EINVAL for a read-only dynptr, -E2BIG past its end, or the writes' errors.</summary>
    public static ulong Memset(Invocation inv, ulong p, ulong offset, ulong size, ulong value, ulong r5)
    {
        var length = (uint)size;
        var slice = SliceRdwr(inv, p, offset, 0, length, 0);
        if (slice != 0)
        {
            Bytes(inv, slice, length, MemoryAccess.Write).Fill((byte)value);
            return 0;
        }
        var dynptr = DynptrKern.At(inv, p);
        if (dynptr.ReadOnly) return Errno.Result(-Errno.EINVAL);
        if (!dynptr.Holds((uint)offset, length)) return Errno.Result(-Errno.E2BIG);
        Span<byte> fill = stackalloc byte[BounceSize];
        fill.Fill((byte)value);
        for (uint done = 0; done < length; done += BounceSize)
        {
            var error = DynptrHelpers.WriteFrom(inv, dynptr, (uint)offset + done, fill[..(int)Math.Min(BounceSize, length - done)], 0);
            if (error != 0) return Errno.Result(error);
        }
        return 0;
    }

    /// <summary>The kernel's on-stack buffer for bytes not in place.</summary>
    const int BounceSize = 256;

    static Span<byte> Bytes(Invocation inv, ulong address, uint length, MemoryAccess access) => HelperMemory.Buffer(inv, address, length, access);
}
