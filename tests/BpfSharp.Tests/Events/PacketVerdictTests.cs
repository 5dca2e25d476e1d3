using BpfSharp.Programs;

namespace BpfSharp.Tests.Events;

/// <summary>Verdict names and delivery as include/uapi/linux/bpf.h (enum xdp_action) and pkt_cls.h (TC_ACT_*) define them.</summary>
public class PacketVerdictTests
{
    [Theory]
    [InlineData(ProgramType.Xdp, 0u, "XDP_ABORTED", false)]
    [InlineData(ProgramType.Xdp, 1u, "XDP_DROP", false)]
    [InlineData(ProgramType.Xdp, 2u, "XDP_PASS", true)]
    [InlineData(ProgramType.Xdp, 3u, "XDP_TX", true)]
    [InlineData(ProgramType.Xdp, 4u, "XDP_REDIRECT", true)]
    [InlineData(ProgramType.Xdp, 9u, "unknown (9)", false)]
    [InlineData(ProgramType.SchedCls, 0u, "TC_ACT_OK", true)]
    [InlineData(ProgramType.SchedCls, 2u, "TC_ACT_SHOT", false)]
    [InlineData(ProgramType.SchedCls, 4u, "TC_ACT_STOLEN", false)]
    [InlineData(ProgramType.SchedAct, 7u, "TC_ACT_REDIRECT", true)]
    [InlineData(ProgramType.SchedCls, 8u, "TC_ACT_TRAP", false)]
    [InlineData(ProgramType.SchedCls, uint.MaxValue, "TC_ACT_UNSPEC", true)]
    [InlineData(ProgramType.SchedCls, 0xfffffffeu, "unknown (-2)", true)]
    [InlineData(ProgramType.SocketFilter, 0u, "dropped", false)]
    [InlineData(ProgramType.SocketFilter, 40u, "accepted", true)]
    [InlineData(ProgramType.CgroupSkb, 1u, "return 1", true)]
    public void Names_and_delivery_follow_the_kernel(ProgramType type, uint returnValue, string name, bool delivers)
    {
        Assert.Equal(name, PacketVerdict.Name(type, returnValue));
        Assert.Equal(delivers, PacketVerdict.Delivers(type, returnValue));
    }

    [Fact]
    public void A_socket_filter_keeps_at_most_the_packet()
    {
        Assert.Equal(40, PacketVerdict.SocketFilterKeeps(40, 100));
        Assert.Equal(100, PacketVerdict.SocketFilterKeeps(uint.MaxValue, 100));
    }
}
