using BpfSharp.Abi;
using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary>The ring buffer helpers (kernel/bpf/ringbuf.c): <c>bpf_ringbuf_output</c> (130), <c>reserve</c> (131),
/// <c>submit</c> (132), <c>discard</c> (133), <c>query</c> (134), and their dynptr forms <c>bpf_ringbuf_reserve_dynptr</c>
/// (198), <c>submit_dynptr</c> (199), <c>discard_dynptr</c> (200).</summary>
internal static class RingBufHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.RingbufOutput, "bpf_ringbuf_output", Output);
        table.RegisterBuiltIn((int)HelperId.RingbufReserve, "bpf_ringbuf_reserve", Reserve);
        table.RegisterBuiltIn((int)HelperId.RingbufSubmit, "bpf_ringbuf_submit", Submit);
        table.RegisterBuiltIn((int)HelperId.RingbufDiscard, "bpf_ringbuf_discard", Discard);
        table.RegisterBuiltIn((int)HelperId.RingbufQuery, "bpf_ringbuf_query", Query);
        table.RegisterBuiltIn((int)HelperId.RingbufReserveDynptr, "bpf_ringbuf_reserve_dynptr", ReserveDynptr);
        table.RegisterBuiltIn((int)HelperId.RingbufSubmitDynptr, "bpf_ringbuf_submit_dynptr", (inv, ptr, flags, _, _, _) => CommitDynptr(inv, ptr, flags, discard: false));
        table.RegisterBuiltIn((int)HelperId.RingbufDiscardDynptr, "bpf_ringbuf_discard_dynptr", (inv, ptr, flags, _, _, _) => CommitDynptr(inv, ptr, flags, discard: true));
    }

    static RingBufMap Ring(Invocation inv, ulong map) => MapHelpers.Resolve<RingBufMap>(inv, map, "a ring buffer");

    static ulong Output(Invocation inv, ulong map, ulong data, ulong size, ulong flags, ulong r5)
    {
        var ring = Ring(inv, map);
        return Errno.Result(ring.Output(inv.Memory(data, size, MemoryAccess.Read), flags));
    }

    static ulong Reserve(Invocation inv, ulong map, ulong size, ulong flags, ulong r4, ulong r5) => Ring(inv, map).Reserve(size, flags);

    static ulong Submit(Invocation inv, ulong sample, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        RingOf(inv, sample).Commit(sample, flags, discard: false);
        return 0;
    }

    static ulong Discard(Invocation inv, ulong sample, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        RingOf(inv, sample).Commit(sample, flags, discard: true);
        return 0;
    }

    static ulong Query(Invocation inv, ulong map, ulong flags, ulong r3, ulong r4, ulong r5) => Ring(inv, map).Query(flags);

    /// <summary><c>long bpf_ringbuf_reserve_dynptr(void *ringbuf, u32 size, u64 flags, struct bpf_dynptr *ptr)</c>: a
    /// dynptr over a new record; on any failure a NULL dynptr (which the verifier still makes the program submit or
    /// discard) and -EINVAL, -E2BIG over DYNPTR_MAX_SIZE.</summary>
    static ulong ReserveDynptr(Invocation inv, ulong map, ulong size, ulong flags, ulong ptr, ulong r5)
    {
        var ring = Ring(inv, map);
        ref var dynptr = ref DynptrKern.At(inv, ptr);
        var error = flags != 0 ? -Errno.EINVAL : (uint)size > DynptrKern.MaxSize ? -Errno.E2BIG : 0;
        var sample = error == 0 ? ring.Reserve((uint)size, 0) : 0;
        if (sample == 0)
        {
            dynptr.SetNull();
            return Errno.Result(error != 0 ? error : -Errno.EINVAL);
        }
        dynptr.Init(sample, DynptrType.Ringbuf, (uint)size);
        return 0;
    }

    /// <summary><c>bpf_ringbuf_submit_dynptr</c> and <c>bpf_ringbuf_discard_dynptr</c>: commits the record (nothing for
    /// a NULL dynptr) and leaves the dynptr NULL.</summary>
    static ulong CommitDynptr(Invocation inv, ulong ptr, ulong flags, bool discard)
    {
        ref var dynptr = ref DynptrKern.At(inv, ptr);
        if (dynptr.IsNull) return 0;
        if (dynptr.Type != DynptrType.Ringbuf) throw inv.Fault($"the dynptr at 0x{ptr:x} is not a ring-buffer dynptr");
        RingOf(inv, dynptr.Data).Commit(dynptr.Data, flags, discard);
        dynptr.SetNull();
        return 0;
    }

    /// <summary>The ring a reserved record belongs to, named by the map id in its header (where the kernel keeps a
    /// page offset to find the ring the same way); anything but a record awaiting submission stops the program.</summary>
    static RingBufMap RingOf(Invocation inv, ulong sample)
    {
        var header = inv.Memory(sample - RingBufMap.HeaderSize, RingBufMap.HeaderSize, MemoryAccess.Read);
        var id = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (MapRegistry.FindById(id) is RingBufMap ring && ring.IsReserved(sample)) return ring;
        throw inv.Fault($"0x{sample:x} is not a record reserved by bpf_ringbuf_reserve and not yet submitted");
    }
}
