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
    const int Len = 0, PktType = 4, Mark = 8, Protocol = 16, VlanPresent = 20, VlanTci = 24, VlanProto = 28, Priority = 32, IngressIfindex = 36, Ifindex = 40, Cb = 48,
        CbEnd = 68, Family = 88, RemoteIp4 = 92, LocalIp4 = 96, RemoteIp6 = 100, LocalIp6 = 116, Tstamp = 152, WireLen = 160,
        GsoSegs = 164, Sk = 168, GsoSize = 176, Hwtstamp = 184, DataField = 76, DataEndField = 80, DataMetaField = 140;

    // struct bpf_sock offsets, for the test run's socket behind skb->sk.
    const int SockFamily = 4, SockSrcIp4 = 24, SockSrcIp6 = 28, SockDstIp4 = 52, SockDstIp6 = 56, SockState = 72,
        SockRxQueueMapping = 76, SockSize = 80;

    /// <summary>TCP_CLOSE: the state sock_init_data gives a new socket.</summary>
    const uint Closed = 7;

    readonly ContextLayout layout = ContextLayout.SkBuff;
    readonly int dataShadow = ContextLayout.SkBuff.ShadowOffset(DataField), endShadow = ContextLayout.SkBuff.ShadowOffset(DataEndField),
        metaShadow = ContextLayout.SkBuff.ShadowOffset(DataMetaField);
    readonly ContextMemory context;
    readonly ContextMemory socket = new(SockSize);
    readonly bool linkLayer;
    ContextMemory packet;
    MemoryRegion? packetRegion;
    int frameLength;
    int dataOffset;
    int networkOffset = EthernetHeader;
    VlanTag? acceleratedTag;

    /// <summary>One test run of a program of <paramref name="type"/>: <c>data_in</c> and <c>ctx_in</c> checked as the
    /// kernel checks them.</summary>
    public SkBuffSession(RunOptions options, ProgramType type) : this(type, options.Data?.Length ?? 0)
    {
        var frame = options.Data ?? Array.Empty<byte>();
        RequireEthernet(frame);
        RequireIpHeader(frame);
        var ctxIn = ContextInput(options, layout.Size);
        RequireZero(ctxIn, layout.Name, (0, Mark, "start"), (Mark + 4, Priority, "mark"), (Ifindex + 4, Cb, "ifindex"),
            (CbEnd, Tstamp, "cb"), (GsoSegs + 4, GsoSize, "gso_segs"), (GsoSize + 4, Hwtstamp, "gso_size"));
        var ifindex = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(Ifindex));
        if (ifindex > LoopbackIfindex)
            throw new InvalidRunException($"ctx_in: ifindex {ifindex} names a device BpfSharp does not have (only 1, loopback)", -Errno.ENODEV);
        Build(frame, ctxIn);
        if (options.Context is not null)
        {
            var wireLen = BinaryPrimitives.ReadUInt32LittleEndian(ctxIn.AsSpan(WireLen));
            var length = (uint)(frame.Length - (dataOffset - Headroom));
            if (wireLen != 0 && wireLen < length)
                throw new InvalidRunException($"ctx_in: wire_len {wireLen} is shorter than the packet ({length})", -Errno.EINVAL);
            BinaryPrimitives.WriteUInt32LittleEndian(context.Span[WireLen..], wireLen == 0 ? length : wireLen);
        }
    }

    /// <summary>A session for packet after packet (<see cref="Load"/>), without <c>ctx_in</c>; the packet memory grows
    /// to the longest frame seen.</summary>
    public SkBuffSession(ProgramType type, int capacity)
    {
        Type = type;
        linkLayer = ProgramTypes.SkBuffFromLinkLayer(type) ?? throw new ArgumentException($"{type} programs have no skb", nameof(type));
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
        networkOffset = EthernetHeader;
        acceleratedTag = null;
        Encapsulated = false;
        Tunnel = null;
        frame.CopyTo(packet.Span[Headroom..]);
        dataOffset = Headroom + (linkLayer ? 0 : EthernetHeader);
        var length = (uint)(frame.Length - (linkLayer ? 0 : EthernetHeader));

        var ctx = context.Span;
        ctx.Clear();
        ctxIn.CopyTo(ctx);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Len..], length);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[PktType..], PacketType(frame));
        SetProtocol(BinaryPrimitives.ReadUInt16BigEndian(frame[MacAddresses..]));
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Ifindex..], LoopbackIfindex);
        FillSocket(ctx, frame);
        socketCookie = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(ctx[Sk..], socket.Address);
        SetPointers();
    }

    static void RequireEthernet(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetHeader)
            throw new InvalidRunException($"data_in is {frame.Length} bytes, shorter than an Ethernet header ({EthernetHeader})", -Errno.EINVAL);
    }

    /// <summary>A test run refuses an IPv4 or IPv6 frame cut inside the IP header's fixed part (Linux 6.18 answers
    /// EINVAL for 33 bytes of IPv4 and 53 of IPv6); replayed captures may hold such frames and run.</summary>
    static void RequireIpHeader(ReadOnlySpan<byte> frame)
    {
        var (version, header) = BinaryPrimitives.ReadUInt16BigEndian(frame[MacAddresses..]) switch
        {
            0x0800 => ("IPv4", 20),
            0x86dd => ("IPv6", 40),
            _ => ("", 0),
        };
        if (frame.Length < EthernetHeader + header)
            throw new InvalidRunException(
                $"data_in is {frame.Length} bytes, shorter than an Ethernet and an {version} header ({EthernetHeader + header})", -Errno.EINVAL);
    }

    public override ulong Context => context.Address;

    /// <summary><c>skb->data</c>: where the packet the program sees starts.</summary>
    internal ulong Data => packet.Address + (ulong)dataOffset;

    ulong DataEnd => packet.Address + (ulong)(Headroom + frameLength);

    /// <summary>The packet from <c>skb->data</c> (the MAC header for tc, the network header for the others): what
    /// <c>skb->len</c> counts and what <c>bpf_skb_load_bytes</c> offsets index.</summary>
    internal Span<byte> Packet => packet.Span.Slice(dataOffset, Headroom + frameLength - dataOffset);

    /// <summary>The whole frame from <c>skb_mac_header</c>, whatever the program type sees; the network header
    /// is at <see cref="NetworkOffset"/> in it.</summary>
    internal Span<byte> Frame => packet.Span.Slice(Headroom, frameLength);

    /// <summary>Where the network header starts in <see cref="Frame"/>: after the Ethernet header, and after whatever
    /// <c>bpf_skb_change_head</c> pushed in front of the MAC header since.</summary>
    internal int NetworkOffset => networkOffset;

    /// <summary>Whether the program sees the packet from its MAC header (tc), rather than from the network header.</summary>
    internal bool SeesLinkLayer => linkLayer;

    /// <summary>The program type the skb is built for, which decides the helpers that may reshape it.</summary>
    internal ProgramType Type { get; }

    /// <summary>Where the network header starts from skb->data (<c>skb_network_offset</c>): after the MAC header for tc,
    /// 0 for the types that see the packet from the network header, plus whatever <c>bpf_skb_change_head</c> pushed.</summary>
    internal int NetworkOffsetFromData => networkOffset - (dataOffset - Headroom);

    /// <summary>The largest packet the resizing helpers make (<c>SKB_MAX_ALLOC</c> with 4 KiB pages: four pages less
    /// <c>skb_shared_info</c>), what <c>__bpf_skb_max_len</c> gives for the test run's skb.</summary>
    internal const int MaxLength = 16064;

    /// <summary><c>bpf_skb_change_tail</c>'s work: the packet from skb->data becomes <paramref name="length"/> bytes,
    /// the ones it gains zeroed.</summary>
    internal void ChangeTail(Invocation invocation, int length)
    {
        var end = dataOffset - Headroom + length;
        Reserve(end);
        if (end > frameLength) packet.Span.Slice(Headroom + frameLength, end - frameLength).Clear();
        frameLength = end;
        Resized(invocation);
    }

    /// <summary><c>bpf_skb_change_head</c>'s work: <paramref name="bytes"/> zeroed bytes in front of skb->data, where
    /// the MAC header now starts (tc's, or the one an lwt_xmit program writes there); the network header stays where
    /// it was in the packet. BpfSharp keeps skb->data in place and moves the packet behind it.</summary>
    internal void ChangeHead(Invocation invocation, int bytes)
    {
        networkOffset += bytes;
        InsertRoom(invocation, dataOffset - Headroom, bytes);
    }

    /// <summary>skb->encapsulation: set by <c>bpf_skb_adjust_room</c>'s first encapsulation, which refuses a second.</summary>
    internal bool Encapsulated { get; set; }

    /// <summary>The tunnel <c>bpf_skb_set_tunnel_key</c> set on this skb; a test run's skb starts without one.</summary>
    internal TunnelInfo? Tunnel { get; set; }

    /// <summary><c>skb_is_gso</c>: ctx_in gave the skb a gso_size.</summary>
    internal bool IsGso => BinaryPrimitives.ReadUInt32LittleEndian(context.Span[GsoSize..]) != 0;

    /// <summary><c>bpf_skb_generic_push</c>'s work for a tc skb: <paramref name="bytes"/> zeroed bytes at
    /// <paramref name="offset"/> from the MAC header, which the caller has checked lies within the packet. The headers
    /// before the room keep their offsets from skb->data.</summary>
    internal void InsertRoom(Invocation invocation, int offset, int bytes)
    {
        Reserve(frameLength + bytes);
        var span = packet.Span.Slice(Headroom, frameLength + bytes);
        span[offset..frameLength].CopyTo(span[(offset + bytes)..]);
        span.Slice(offset, bytes).Clear();
        frameLength += bytes;
        Resized(invocation);
    }

    /// <summary><c>bpf_skb_generic_pop</c>'s work: the <paramref name="bytes"/> at <paramref name="offset"/> from the
    /// MAC header go, which the caller has checked lie within the packet.</summary>
    internal void RemoveRoom(Invocation invocation, int offset, int bytes)
    {
        var span = packet.Span.Slice(Headroom, frameLength);
        span[(offset + bytes)..].CopyTo(span[offset..]);
        frameLength -= bytes;
        Resized(invocation);
    }

    /// <summary><c>skb_vlan_push</c>: the tag goes into the skb's metadata, where a NIC that strips tags leaves them
    /// (<c>__vlan_hwaccel_put_tag</c>); a tag already there moves into the packet first, right after the MAC addresses,
    /// and skb->protocol becomes its protocol.</summary>
    internal void VlanPush(Invocation invocation, VlanTag tag)
    {
        if (acceleratedTag is { } previous)
        {
            Reserve(frameLength + VlanTag.Length);
            var span = packet.Span.Slice(Headroom);
            span[MacAddresses..frameLength].CopyTo(span[(MacAddresses + VlanTag.Length)..]);
            previous.Write(span[MacAddresses..]);
            frameLength += VlanTag.Length;
            networkOffset += VlanTag.Length;
            SetProtocol(previous.Protocol);
        }
        acceleratedTag = tag;
        Resized(invocation);
    }

    /// <summary><c>skb_vlan_pop</c>: drops the metadata tag, or else the packet's outer tag when skb->protocol says
    /// there is one; then a tag that is now outermost in the packet moves into the metadata. 0, or -ENOMEM for a tagged
    /// frame too short to hold its tag (<c>skb_ensure_writable</c> of 18 bytes).</summary>
    internal int VlanPop(Invocation invocation)
    {
        var result = 0;
        if (acceleratedTag is not null) acceleratedTag = null;
        else if (VlanTag.IsVlan(SkbProtocol)) result = PopFromPacket(out _);
        if (result == 0 && VlanTag.IsVlan(SkbProtocol))
        {
            var protocol = SkbProtocol;
            result = PopFromPacket(out var tci);
            if (result == 0) acceleratedTag = new VlanTag(protocol, tci);
        }
        Resized(invocation);
        return result;
    }

    /// <summary><c>__skb_vlan_pop</c>: removes the 4-byte tag after the MAC addresses; skb->protocol becomes the
    /// encapsulated one (<c>vlan_set_encap_proto</c>: an EtherType, else 802.3 raw when the payload starts ffff, else
    /// 802.2).</summary>
    int PopFromPacket(out ushort tci)
    {
        tci = 0;
        const int TaggedHeader = EthernetHeader + VlanTag.Length;
        if (frameLength < TaggedHeader) return -Errno.ENOMEM;
        var span = packet.Span.Slice(Headroom, frameLength);
        tci = BinaryPrimitives.ReadUInt16BigEndian(span[(MacAddresses + 2)..]);
        var encapsulated = BinaryPrimitives.ReadUInt16BigEndian(span[(MacAddresses + VlanTag.Length)..]);
        var raw8023 = frameLength >= TaggedHeader + 2 && BinaryPrimitives.ReadUInt16BigEndian(span[TaggedHeader..]) == 0xffff;
        span[(MacAddresses + VlanTag.Length)..].CopyTo(span[MacAddresses..]);
        frameLength -= VlanTag.Length;
        networkOffset = Math.Max(networkOffset - VlanTag.Length, EthernetHeader);
        SetProtocol(encapsulated >= MinEtherType ? encapsulated : raw8023 ? Ethernet8023 : Ethernet8022);
        return 0;
    }

    const int MacAddresses = 12;
    const ushort MinEtherType = 0x0600, Ethernet8023 = 0x0001, Ethernet8022 = 0x0004;   // ETH_P_802_3_MIN, ETH_P_802_3, ETH_P_802_2

    /// <summary>skb->protocol as a host-order EtherType; the context shows it as the kernel keeps it, big-endian,
    /// read as a u32.</summary>
    internal ushort SkbProtocol
    {
        get => BinaryPrimitives.ReverseEndianness((ushort)BinaryPrimitives.ReadUInt32LittleEndian(context.Span[Protocol..]));
        set => SetProtocol(value);
    }

    void SetProtocol(ushort etherType) => BinaryPrimitives.WriteUInt32LittleEndian(context.Span[Protocol..], BinaryPrimitives.ReverseEndianness(etherType));

    /// <summary>Room for a frame of <paramref name="length"/> bytes behind the headroom: a bigger buffer when the
    /// present one is short, as the kernel reallocates the skb's head (so the packet moves, and pointers into it go
    /// stale, which is why the verifier makes programs reload them).</summary>
    void Reserve(int length)
    {
        if (Headroom + length <= packet.Length) return;
        var grown = new ContextMemory(Headroom + Math.Max(length, MaxLength));
        packet.Span[..(Headroom + frameLength)].CopyTo(grown.Span);
        packet.Dispose();
        packet = grown;
    }

    /// <summary>After a resize: the context's len, data and data_end, the region a checked run may touch, and what
    /// LD_ABS reads.</summary>
    void Resized(Invocation invocation)
    {
        var ctx = context.Span;
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[Len..], (uint)(DataEnd - Data));
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[VlanPresent..], acceleratedTag is null ? 0u : 1u);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[VlanTci..], acceleratedTag?.Tci ?? 0);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx[VlanProto..], BinaryPrimitives.ReverseEndianness(acceleratedTag?.Protocol ?? 0));
        SetPointers();
        Expose(invocation);
    }

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
        invocation.AddRegion(new MemoryRegion("sock", socket.Address, SockSize, MemoryAccess.Read));
        packetRegion = null;
        Expose(invocation);
    }

    void Expose(Invocation invocation)
    {
        if (packetRegion is { } stale) invocation.RemoveRegion(stale);
        var region = new MemoryRegion("packet", Data, DataEnd - Data, MemoryAccess.ReadWrite);
        invocation.AddRegion(region);
        packetRegion = region;
        invocation.PacketStart = Data;
        invocation.PacketLength = (uint)(DataEnd - Data);
        var macHeader = packet.Address + Headroom;
        invocation.PacketHeaders = (packet.Address, macHeader, macHeader + (ulong)networkOffset);
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

    /// <summary>The test run's socket (<c>bpf_prog_test_run_skb</c>: a socket of the dummy protocol, initialised by
    /// <c>sock_init_data</c>, so closed, of type and protocol 0, with no receive queue) takes its family and addresses
    /// from the IP header; <c>skb->sk</c> points to it as a <c>struct bpf_sock</c>, and the __sk_buff socket fields
    /// show the same. Linux 6.18 for an IPv4 frame: family 2, src_ip4 the source address, dst_ip4 the destination,
    /// state 7, rx_queue_mapping -1, the rest 0.</summary>
    void FillSocket(Span<byte> ctx, ReadOnlySpan<byte> frame)
    {
        var sock = socket.Span;
        sock.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(sock[SockState..], Closed);
        BinaryPrimitives.WriteInt32LittleEndian(sock[SockRxQueueMapping..], -1);
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        var ip = frame[EthernetHeader..];
        if (etherType == 0x0800)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(sock[SockFamily..], 2); // AF_INET
            if (ip.Length >= 20)
            {
                ip.Slice(12, 4).CopyTo(sock[SockSrcIp4..]);
                ip.Slice(16, 4).CopyTo(sock[SockDstIp4..]);
            }
        }
        else if (etherType == 0x86dd)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(sock[SockFamily..], 10); // AF_INET6
            if (ip.Length >= 40)
            {
                ip.Slice(8, 16).CopyTo(sock[SockSrcIp6..]);
                ip.Slice(24, 16).CopyTo(sock[SockDstIp6..]);
            }
        }
        sock.Slice(SockFamily, 4).CopyTo(ctx[Family..]);
        sock.Slice(SockSrcIp4, 4).CopyTo(ctx[LocalIp4..]);
        sock.Slice(SockDstIp4, 4).CopyTo(ctx[RemoteIp4..]);
        sock.Slice(SockSrcIp6, 16).CopyTo(ctx[LocalIp6..]);
        sock.Slice(SockDstIp6, 16).CopyTo(ctx[RemoteIp6..]);
    }

    /// <summary>Where the test run's socket is: what <c>bpf_sk_fullsock(skb->sk)</c> gives back.</summary>
    internal ulong SocketAddress => socket.Address;

    /// <summary>Cookies of sockets, as <c>sock_gen_cookie</c> hands them out: from 1, each socket its own, given when
    /// first asked for.</summary>
    static long lastCookie;
    ulong socketCookie;

    /// <summary>The test run's socket's cookie (<c>bpf_get_socket_cookie</c>). Each run (each packet of a replay) has a
    /// new socket, as each of the kernel's test runs does, so a new cookie; repeats of one run share it.</summary>
    internal ulong SocketCookie => socketCookie != 0 ? socketCookie : socketCookie = (ulong)Interlocked.Increment(ref lastCookie);

    public override void Dispose()
    {
        context.Dispose();
        socket.Dispose();
        packet.Dispose();
    }
}
