namespace BpfSharp.Programs;

/// <summary>What a packet program's return value tells the kernel to do with the packet: <c>enum xdp_action</c> for
/// XDP, the <c>TC_ACT_*</c> codes for tc, a length to keep for socket filters (<c>sk_filter_trim_cap</c>: 0 drops,
/// n keeps the first n bytes of the packet it saw).</summary>
internal static class PacketVerdict
{
    static readonly string[] XdpActions = ["XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"];

    static readonly string[] TcActions =
        ["TC_ACT_OK", "TC_ACT_RECLASSIFY", "TC_ACT_SHOT", "TC_ACT_PIPE", "TC_ACT_STOLEN", "TC_ACT_QUEUED", "TC_ACT_REPEAT", "TC_ACT_REDIRECT", "TC_ACT_TRAP"];

    const uint TcActUnspec = uint.MaxValue; // TC_ACT_UNSPEC, -1
    const uint TcActShot = 2, TcActStolen = 4, TcActQueued = 5, TcActTrap = 8;
    const uint XdpPass = 2, XdpRedirect = 4, TcActRedirect = 7;

    /// <summary>The kernel's name for the verdict: "XDP_PASS", "TC_ACT_SHOT", "accepted" or "dropped" for a socket
    /// filter, "unknown (9)" for a value the type does not define, "return 5" for other program types.</summary>
    public static string Name(ProgramType type, uint returnValue) => type switch
    {
        ProgramType.Xdp => returnValue < XdpActions.Length ? XdpActions[returnValue] : $"unknown ({returnValue})",
        ProgramType.SchedCls or ProgramType.SchedAct => returnValue == TcActUnspec ? "TC_ACT_UNSPEC"
            : returnValue < TcActions.Length ? TcActions[returnValue] : $"unknown ({(int)returnValue})",
        ProgramType.SocketFilter => returnValue == 0 ? "dropped" : "accepted",
        _ => $"return {returnValue}",
    };

    /// <summary>Whether the packet goes on (to the stack, out of an interface, to the socket): false for XDP's
    /// ABORTED, DROP and values it does not define, tc's SHOT, STOLEN, QUEUED and TRAP, a socket filter's 0.</summary>
    public static bool Delivers(ProgramType type, uint returnValue) => type switch
    {
        ProgramType.Xdp => returnValue is >= XdpPass and < 5,
        ProgramType.SchedCls or ProgramType.SchedAct => returnValue is not (TcActShot or TcActStolen or TcActQueued or TcActTrap),
        ProgramType.SocketFilter => returnValue != 0,
        _ => true,
    };

    /// <summary>Whether the verdict sends the packet where the program's redirect call said (XDP_REDIRECT,
    /// TC_ACT_REDIRECT).</summary>
    public static bool Redirects(ProgramType type, uint returnValue) => type switch
    {
        ProgramType.Xdp => returnValue == XdpRedirect,
        ProgramType.SchedCls or ProgramType.SchedAct => returnValue == TcActRedirect,
        _ => false,
    };

    /// <summary>How many bytes of a <paramref name="seenLength"/>-byte packet a socket filter's verdict keeps: the
    /// return value, at most the packet.</summary>
    public static int SocketFilterKeeps(uint returnValue, int seenLength) => (int)Math.Min(returnValue, (uint)seenLength);
}
