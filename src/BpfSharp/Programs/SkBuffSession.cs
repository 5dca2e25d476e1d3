using System.Buffers.Binary;
using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>A <c>struct __sk_buff</c> test run, as <c>bpf_prog_test_run_skb</c> builds it on the loopback device:
/// the frame's Ethernet header is parsed (<c>eth_type_trans</c>: protocol, packet type), tc programs see the frame from
/// its MAC header and the others (socket filters, cgroup, lwt) from the network header, and <c>ctx_in</c> may set only
/// mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size and hwtstamp.</summary>
internal sealed class SkBuffSession : PacketSession
{
    const int EthernetHeader = 14;
    const int Headroom = 64; // room for helpers that push headers, like the kernel's NET_SKB_PAD
    const int LoopbackIfindex = 1;

    // struct __sk_buff offsets (include/uapi/linux/bpf.h).
    const int Len = 0, PktType = 4, Mark = 8, Protocol = 16, Priority = 32, IngressIfindex = 36, Ifindex = 40, Cb = 48,
        CbEnd = 68, Family = 88, RemoteIp4 = 92, LocalIp4 = 96, RemoteIp6 = 100, LocalIp6 = 116, Tstamp = 152, WireLen = 160,
        GsoSegs = 164, GsoSize = 176, Hwtstamp = 184, DataField = 76, DataEndField = 80, DataMetaField = 140;

    readonly ContextLayout layout = ContextLayout.SkBuff;
    readonly int dataShadow = ContextLayout.SkBuff.ShadowOffset(DataField), endShadow = ContextLayout.SkBuff.ShadowOffset(DataEndField),
        metaShadow = ContextLayout.SkBuff.ShadowOffset(DataMetaField);
    readonly ContextMemory context;
    readonly bool linkLayer;
    ContextMemory packet;
    int frameLength;
    int dataOffset;

    /// <summary>One test run: <c>data_in</c> and <c>ctx_in</c> checked as the kernel checks them.</summary>
    public SkBuffSession(TestRunOptions options, bool linkLayer) : this(linkLayer, options.DataIn?.Length ?? 0)
    {
        var frame = options.DataIn ?? Array.Empty<byte>();
        RequireEthernet(frame);
        var ctxIn = ContextIn(options, layout.Size);
        RequireZero(ctxIn, layout.Name, (0, Mark, "start"), (Mark + 4, Priority, "mark"), (Ifindex + 4, Cb, "ifindex"),
            (CbEnd, Tstamp, "cb"), (GsoSegs + 4, GsoSize, "gso_segs"), (GsoSize + 4, Hwtstamp, "gso_size"));
        var ifindex = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(Ifindex));
        if (ifindex > LoopbackIfindex)
            throw new TestRunException($"ctx_in: ifindex {ifindex} names a device BpfSharp does not have (only 1, loopback)", -Errno.ENODEV);
        Build(frame, ctxIn);
        if (options.ContextIn is not null)
        {
            var wireLen = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(WireLen));
            var length = (uint)(frame.Length - (dataOffset - Headroom));
            if (wireLen != 0 && wireLen < length)
                throw new TestRunException($"ctx_in: wire_len {wireLen} is shorter than the packet ({length})", -Errno.EINVAL);
            BinaryPrimitives.WriteUInt32LittleEndian(context.Span[WireLen..], wireLen == 0 ? length : wireLen);
        }
    }

    /// <summary>A session for packet after packet (<see cref="Load"/>), without <c>ctx_in</c>; the packet memory grows
    /// to the longest frame seen.</summary>
    public SkBuffSession(bool linkLayer, int capacity)
    {
        this.linkLayer = linkLayer;
        packet = new ContextMemory(Headroom + capacity);
        context = new ContextMemory(layout.AllocationSize);
    }

    public override void Load(ReadOnlySpan<byte> frame)
    {
        RequireEthernet(frame);
        if (Headroom + frame.Length > packet.Length)
        {
            packet.Dispose();
            packet = new ContextMemory(Headroom + frame.Length);
        }
        else
        {
            packet.Span[..Headroom].Clear();
        }
        Build(frame, default);
    }

    /// <summary>Copies the frame behind the headroom and writes the context as the kernel derives it from the frame,
    /// over <paramref name="ctxIn"/> (empty: all zero).</summary>
    void Build(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> ctxIn)
    {
        frameLength = frame.Length;
        frame.CopyTo(packet.Span[Headroom..]);
        dataOffset = Headroom + (linkLayer ? 0 : EthernetHeader);
        var length = (uint)(frame.Length - (linkLayer ? 0 : EthernetHeader));

        var ctx = context.Span;
        ctx.Clear();
        ctxIn.CopyTo(ctx);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Len..], length);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[PktType..], PacketType(frame));
        // protocol holds the EtherType as the frame has it (big-endian), read as a u32.
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Protocol..], BinaryPrimitives.ReadUInt16LittleEndian(frame[12..]));
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Ifindex..], LoopbackIfindex);
        FillSocket(ctx, frame);
        SetPointers();
    }

    static void RequireEthernet(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetHeader)
            throw new TestRunException($"data_in is {frame.Length} bytes, shorter than an Ethernet header ({EthernetHeader})", -Errno.EINVAL);
    }

    public override ulong Context => context.Address;

    ulong Data => packet.Address + (ulong)dataOffset;

    ulong DataEnd => packet.Address + (ulong)(Headroom + frameLength);

    /// <summary>The packet from <c>skb->data</c> (the MAC header for tc, the network header for the others): what
    /// <c>skb->len</c> counts and what <c>bpf_skb_load_bytes</c> offsets index.</summary>
    internal Span<byte> Packet => packet.Span.Slice(dataOffset, Headroom + frameLength - dataOffset);

    /// <summary>The whole frame from <c>skb_mac_header</c>, whatever the program type sees; the network header
    /// follows the Ethernet header at <see cref="NetworkOffset"/>.</summary>
    internal Span<byte> Frame => packet.Span.Slice(Headroom, frameLength);

    internal const int NetworkOffset = EthernetHeader;

    public override ReadOnlySpan<byte> Output => Frame;

    void SetPointers()
    {
        var ctx = context.Span;
        // data_meta is data: an skb's metadata is empty.
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[dataShadow..], Data);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[endShadow..], DataEnd);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[metaShadow..], Data);
        // The 32-bit fields show the low halves, for programs that print them; loads of them are rewritten anyway.
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[DataField..], (uint)Data);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[DataEndField..], (uint)DataEnd);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[DataMetaField..], (uint)Data);
    }

    public override void Attach(Invocation invocation)
    {
        invocation.AddRegion(new MemoryRegion(layout.Name, context.Address, (ulong)context.Length, MemoryAccess.ReadWrite));
        invocation.AddRegion(new MemoryRegion("packet", Data, DataEnd - Data, MemoryAccess.ReadWrite));
        invocation.PacketStart = Data;
        invocation.PacketLength = (uint)(DataEnd - Data);
    }

    /// <summary>The whole frame, from the MAC header, whatever the program type saw. For the types that see the
    /// packet from the network header, the kernel pushes a zeroed link-layer header back in front of it
    /// (<c>memset(__skb_push(skb, hh_len), 0, hh_len)</c>), so data_out starts with 14 zero bytes.</summary>
    public override byte[] DataOut()
    {
        var output = packet.Span.Slice(Headroom, frameLength).ToArray();
        if (dataOffset != Headroom) Array.Clear(output, 0, EthernetHeader);
        return output;
    }

    /// <summary><c>convert_skb_to___skb</c>: only the fields ctx_in may set come back; <c>len</c> stays 0.</summary>
    public override byte[] ContextOut()
    {
        var ctx = context.Span;
        var output = new byte[layout.Size];
        foreach (var (start, end) in new[] { (Mark, Mark + 4), (Priority, Ifindex + 4), (Cb, CbEnd), (Tstamp, GsoSegs + 4), (GsoSize, GsoSize + 4), (Hwtstamp, Hwtstamp + 8) })
            ctx[start..end].CopyTo(output.AsSpan(start));
        return output;
    }

    /// <summary><c>eth_type_trans</c> on the loopback device, whose address and broadcast address are both all zero:
    /// so ff:ff:ff:ff:ff:ff is multicast there (the kernel answers 2), never broadcast.</summary>
    static uint PacketType(ReadOnlySpan<byte> frame)
    {
        const uint Host = 0, Multicast = 2, OtherHost = 3;
        var destination = frame[..6];
        if (!destination.ContainsAnyExcept((byte)0)) return Host;
        return (destination[0] & 1) != 0 ? Multicast : OtherHost;
    }

    /// <summary>The test run's socket takes its family and addresses from the IP header.</summary>
    static void FillSocket(Span<byte> ctx, ReadOnlySpan<byte> frame)
    {
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        var ip = frame[EthernetHeader..];
        if (etherType == 0x0800)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(ctx[Family..], 2); // AF_INET
            if (ip.Length >= 20)
            {
                ip.Slice(12, 4).CopyTo(ctx[LocalIp4..]);
                ip.Slice(16, 4).CopyTo(ctx[RemoteIp4..]);
            }
        }
        else if (etherType == 0x86dd)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(ctx[Family..], 10); // AF_INET6
            if (ip.Length >= 40)
            {
                ip.Slice(8, 16).CopyTo(ctx[LocalIp6..]);
                ip.Slice(24, 16).CopyTo(ctx[RemoteIp6..]);
            }
        }
    }

    public override void Dispose()
    {
        context.Dispose();
        packet.Dispose();
    }
}
