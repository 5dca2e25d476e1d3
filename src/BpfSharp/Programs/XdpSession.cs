using System.Buffers.Binary;
using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>An XDP test run as <c>bpf_prog_test_run_xdp</c> builds it: the frame after 256 bytes of headroom
/// (XDP_PACKET_HEADROOM, for <c>bpf_xdp_adjust_head</c> and metadata), tailroom up to a 4096-byte page for
/// <c>bpf_xdp_adjust_tail</c>, on the loopback device's queue 0. <c>ctx_in</c> may give the metadata length (its
/// <c>data</c>) and ingress_ifindex/rx_queue_index.</summary>
internal sealed class XdpSession : PacketSession
{
    internal const int Headroom = 256;
    const int PageSize = 4096;
    const int SharedInfo = 320; // the kernel keeps skb_shared_info at the end of the page
    const int Data = 0, DataEnd = 4, DataMeta = 8, IngressIfindex = 12, RxQueueIndex = 16;

    readonly ContextLayout layout = ContextLayout.XdpMd;
    readonly int dataShadow = ContextLayout.XdpMd.ShadowOffset(Data), endShadow = ContextLayout.XdpMd.ShadowOffset(DataEnd),
        metaShadow = ContextLayout.XdpMd.ShadowOffset(DataMeta);
    readonly ContextMemory context;
    readonly ContextMemory frame;

    /// <summary>One test run: <c>data_in</c> and <c>ctx_in</c> checked as the kernel checks them.</summary>
    public XdpSession(RunOptions options) : this()
    {
        var input = options.Data ?? Array.Empty<byte>();
        RequireFits(input);
        var ctxIn = ContextInput(options, layout.Size);
        var metaLength = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn);
        if (options.Context is not null)
        {
            var dataEnd = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(DataEnd));
            if (BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(DataMeta)) != 0 || dataEnd != input.Length || metaLength > dataEnd
                || metaLength % 4 != 0 || metaLength > 32)
                throw new InvalidRunException("ctx_in: xdp_md must have data_meta 0, data_end equal to the data_in size, and data (the metadata length) a multiple of 4 up to 32", -Errno.EINVAL);
            var ifindex = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(IngressIfindex));
            if (ifindex > 1) throw new InvalidRunException($"ctx_in: ingress_ifindex {ifindex} names a device BpfSharp does not have (only 1, loopback)", -Errno.ENODEV);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(RxQueueIndex)) != 0)
                throw new InvalidRunException("ctx_in: rx_queue_index must be 0 (the loopback device has one queue)", -Errno.EINVAL);
        }
        Build(input, metaLength);
    }

    /// <summary>A session for packet after packet (<see cref="Load"/>), without <c>ctx_in</c>.</summary>
    public XdpSession()
    {
        frame = new ContextMemory(PageSize);
        context = new ContextMemory(layout.AllocationSize);
    }

    public override void Load(ReadOnlySpan<byte> packet)
    {
        RequireFits(packet);
        // The previous run may have grown the packet into the headroom; the tail it grew into is zeroed when grown.
        frame.Span[..Headroom].Clear();
        Build(packet, 0);
    }

    static void RequireFits(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > PageSize - Headroom - SharedInfo)
            throw new InvalidRunException($"data_in is {packet.Length} bytes; one XDP frame holds at most {PageSize - Headroom - SharedInfo}", -Errno.EINVAL);
    }

    void Build(ReadOnlySpan<byte> packet, uint metaLength)
    {
        packet.CopyTo(frame.Span[Headroom..]);
        MetaStart = frame.Address + Headroom;
        DataStart = MetaStart + metaLength;
        End = frame.Address + Headroom + (ulong)packet.Length;
        var ctx = context.Span;
        ctx.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[IngressIfindex..], 1);
        Publish();
    }

    /// <summary>Where the metadata, the packet and its end are; helpers such as <c>bpf_xdp_adjust_head</c> move them.</summary>
    internal ulong MetaStart { get; set; }

    internal ulong DataStart { get; set; }

    internal ulong End { get; set; }

    /// <summary>The page the frame lives in: the limits of every adjustment.</summary>
    internal ulong FrameStart => frame.Address;

    internal ulong FrameEnd => frame.Address + PageSize - SharedInfo;

    public override ulong Context => context.Address;

    /// <summary>Writes the current pointers into the context, where the program's (rewritten) loads find them.</summary>
    internal void Publish()
    {
        var ctx = context.Span;
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[dataShadow..], DataStart);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[endShadow..], End);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[metaShadow..], MetaStart);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Data..], (uint)DataStart);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[DataEnd..], (uint)End);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[DataMeta..], (uint)MetaStart);
    }

    /// <summary>After a helper moved the pointers: the context shows them, and LD_ABS/LD_IND see the new packet.</summary>
    internal void Adjusted(Invocation invocation)
    {
        Publish();
        invocation.PacketStart = DataStart;
        invocation.PacketLength = (uint)(End - DataStart);
        invocation.PacketHeaders = default;
    }

    public override void Attach(Invocation invocation)
    {
        invocation.AddRegion(new MemoryRegion(layout.Name, context.Address, (ulong)context.Length, MemoryAccess.ReadWrite));
        // The whole page: adjust_head/tail move the packet within it, and the program may touch whatever the pointers
        // it re-reads allow.
        invocation.AddRegion(new MemoryRegion("xdp frame", FrameStart, FrameEnd - FrameStart, MemoryAccess.ReadWrite));
        invocation.PacketStart = DataStart;
        invocation.PacketLength = (uint)(End - DataStart);
        invocation.PacketHeaders = default;
    }

    public override ReadOnlySpan<byte> Output => frame.Span.Slice((int)(DataStart - frame.Address), (int)(End - DataStart));

    /// <summary>From the metadata to the end, as the kernel copies it out.</summary>
    public override byte[] DataOut() => frame.Span.Slice((int)(MetaStart - frame.Address), (int)(End - MetaStart)).ToArray();

    /// <summary><c>xdp_convert_buff_to_md</c>: data and data_end relative to the metadata, which starts at 0.</summary>
    public override byte[] ContextOut()
    {
        var output = new byte[layout.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(Data), (uint)(DataStart - MetaStart));
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(DataEnd), (uint)(End - MetaStart));
        context.Span.Slice(IngressIfindex, 12).CopyTo(output.AsSpan(IngressIfindex));
        return output;
    }

    public override void Dispose()
    {
        context.Dispose();
        frame.Dispose();
    }
}
