using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Maps;

namespace BpfSharp.Helpers;

/// <summary>The ring buffer helpers (kernel/bpf/ringbuf.c): <c>bpf_ringbuf_output</c> (130), <c>reserve</c> (131),
/// <c>submit</c> (132), <c>discard</c> (133), <c>query</c> (134).</summary>
internal static class RingBufHelpers
{
    public static void Register(HelperTable table)
    {
        table.RegisterBuiltIn((int)HelperId.RingbufOutput, "bpf_ringbuf_output", Output);
        table.RegisterBuiltIn((int)HelperId.RingbufReserve, "bpf_ringbuf_reserve", Reserve);
        table.RegisterBuiltIn((int)HelperId.RingbufSubmit, "bpf_ringbuf_submit", Submit);
        table.RegisterBuiltIn((int)HelperId.RingbufDiscard, "bpf_ringbuf_discard", Discard);
        table.RegisterBuiltIn((int)HelperId.RingbufQuery, "bpf_ringbuf_query", Query);
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
