namespace BpfSharp.Programs;

/// <summary>What each program type's context is, and how a test run builds it.</summary>
internal static class ProgramTypes
{
    /// <summary>arm64's <c>user_pt_regs</c> (34 × 8 bytes) is the larger of the kprobe layouts (x86-64: 21 × 8).</summary>
    const int PtRegsSize = 272;

    /// <summary>The context layout programs of this type see.</summary>
    public static ContextLayout Layout(ProgramType type) => type switch
    {
        ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.CgroupSkb or ProgramType.LwtIn
            or ProgramType.LwtOut or ProgramType.LwtXmit or ProgramType.LwtSeg6local or ProgramType.SkSkb => ContextLayout.SkBuff,
        ProgramType.Xdp => ContextLayout.XdpMd,
        ProgramType.Kprobe => ContextLayout.Raw("pt_regs", PtRegsSize),
        _ => ContextLayout.Raw("context", 0),
    };

    /// <summary>Whether programs of this type may change their packet in place (<c>may_access_direct_pkt_data</c> for
    /// BPF_WRITE): what makes an skb dynptr writable and lets the verifier take a <c>bpf_dynptr_slice_rdwr</c>.</summary>
    public static bool WritesPacket(ProgramType type) => type is ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.Xdp
        or ProgramType.LwtXmit or ProgramType.SkSkb or ProgramType.SkMsg or ProgramType.CgroupSockopt;

    /// <summary>Builds a test run's memory the way the kernel's <c>BPF_PROG_TEST_RUN</c> does for this type.
    /// <paramref name="maxContextOffset"/> is where the program's furthest context access ends, as the verifier found.</summary>
    public static ContextSession Session(ProgramType type, RunOptions options, int maxContextOffset, (int Count, bool HasReturn)? trampoline = null) =>
        (type, SkBuffFromLinkLayer(type)) switch
    {
        (_, not null) => new SkBuffSession(options, type),
        (ProgramType.Xdp, _) => new XdpSession(options),
        (ProgramType.Kprobe, _) => new RawSession(options, "pt_regs", PtRegsSize),
        (ProgramType.RawTracepoint, _) => RawTracepointArguments.Session(options, maxContextOffset),
        (ProgramType.Tracing or ProgramType.Lsm, _) =>
            RawTracepointArguments.Session(options, maxContextOffset, $"{type} program", trampoline),
        (ProgramType.Unspec, _) => new RawSession(options, "context", 0),
        _ => throw new InvalidRunException($"test runs of {type} programs are not supported", -Errno.ENOTSUPP),
    };

    /// <summary>A session that takes packet after packet, for the types whose context is built from a packet.</summary>
    public static PacketSession PacketSession(ProgramType type) => (type, SkBuffFromLinkLayer(type)) switch
    {
        (_, not null) => new SkBuffSession(type, capacity: 1514),
        (ProgramType.Xdp, _) => new XdpSession(),
        _ => throw new InvalidRunException($"{type} programs do not take packets (XDP, tc, socket filter, cgroup skb and lwt programs do)", -Errno.ENOTSUPP),
    };

    /// <summary>Whether a test run of this type takes a packet as data_in (XDP and the skb types).</summary>
    public static bool TakesPackets(ProgramType type) => type == ProgramType.Xdp || SkBuffFromLinkLayer(type) is not null;

    /// <summary>For skb program types, whether the program sees the frame from its MAC header (tc) rather than from
    /// the network header (socket filters, cgroup skb, lwt); null for the others.</summary>
    internal static bool? SkBuffFromLinkLayer(ProgramType type) => type switch
    {
        ProgramType.SchedCls or ProgramType.SchedAct => true,
        ProgramType.SocketFilter or ProgramType.CgroupSkb or ProgramType.LwtIn or ProgramType.LwtOut or ProgramType.LwtXmit
            or ProgramType.LwtSeg6local => false,
        _ => null,
    };
}
