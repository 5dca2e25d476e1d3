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

    /// <summary>Builds a test run's memory the way the kernel's <c>BPF_PROG_TEST_RUN</c> does for this type.</summary>
    public static ContextSession Session(ProgramType type, TestRunOptions options) => type switch
    {
        ProgramType.SchedCls or ProgramType.SchedAct => new SkBuffSession(options, linkLayer: true),
        ProgramType.SocketFilter or ProgramType.CgroupSkb or ProgramType.LwtIn or ProgramType.LwtOut or ProgramType.LwtXmit
            or ProgramType.LwtSeg6local => new SkBuffSession(options, linkLayer: false),
        ProgramType.Xdp => new XdpSession(options),
        ProgramType.Kprobe => new RawSession(options, "pt_regs", PtRegsSize),
        ProgramType.Unspec => new RawSession(options, "context", 0),
        _ => throw new TestRunException($"test runs of {type} programs are not supported", -Errno.ENOTSUPP),
    };
}
