using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Execution;

/// <summary>The frames an skb test run takes: Linux 6.18 refuses an IPv4 or IPv6 frame cut inside the IP header's
/// fixed part with EINVAL (a tc program and a socket filter alike), and runs any other frame of 14 bytes or more.</summary>
public class SkbTestRunInputTests
{
    const string Ipv4 = "020000000002020000000001080045000032123440004006a523c0a8010ac0a80114",
        Ipv6 = "02000000000202000000000186dd6000000000081140fd000000000000000000000000000001" +
            "fd000000000000000000000000000002",
        Arp = "ffffffffffff0200000000010806";

    public static TheoryData<string, int, bool> Frames => new()
    {
        { Ipv4, 33, false }, { Ipv4, 34, true }, { Ipv6, 53, false }, { Ipv6, 54, true }, { Arp, 14, true },
    };

    static byte[] Frame(string hex, int length) => Convert.FromHexString(hex)[..length];

    static string Object => Path.Combine(Requirements.FixturesDirectory, "helpers", "skb_adjust_room.o");

    [Theory]
    [MemberData(nameof(Frames))]
    public void BpfSharp_runs_a_frame_or_refuses_it_naming_the_header(string hex, int length, bool runs)
    {
        using var obj = BpfObject.Load(Object);
        var run = () => obj.Programs["grow_zero"].Run(new RunOptions { Data = Frame(hex, length) });
        if (runs)
        {
            run();
            return;
        }
        var e = Assert.Throws<InvalidRunException>(run);
        Assert.Equal(-Errno.EINVAL, e.Errno);
        var version = hex == Ipv4 ? "IPv4" : "IPv6";
        Assert.Equal($"data_in is {length} bytes, shorter than an Ethernet and an {version} header ({length + 1})", e.Message);
    }

    [TheoryRequires(Requirement.Kernel)]
    [MemberData(nameof(Frames))]
    public void The_kernel_runs_the_same_frames(string hex, int length, bool runs)
    {
        using var k = KernelOracle.Load(Object);
        var run = () => k.Run("grow_zero", new KernelRunOptions { Data = Frame(hex, length) });
        if (runs) run();
        else Assert.Contains("Invalid argument", Assert.Throws<KernelOracleException>(run).Message);
    }
}
