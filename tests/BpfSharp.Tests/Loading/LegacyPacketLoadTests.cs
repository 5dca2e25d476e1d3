using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>A legacy packet load outside the packet ends the function it is in with 0, not the whole program; offsets
/// from SKF_LL_OFF and SKF_NET_OFF read the MAC and network headers (tests/fixtures/ldabs/ldabs.c; Linux 6.18's
/// answers in its comments).</summary>
public class LegacyPacketLoadTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "ldabs", "ldabs.o");

    public static TheoryData<string, uint> KernelAnswers => new()
    {
        { "sub_fails", 0x100 },   // the subprogram returned 0, its caller added 0x100
        { "sub_loads", 0x107 },   // byte 3 of a zero packet, + 7, + 0x100
        { "main_fails", 0 },
    };

    public static TheoryData<string, uint, ExecutionEngine> OnEveryEngine =>
        EngineTheories.Cross(KernelAnswers);

    /// <summary>On a 64-byte packet whose byte i is i.</summary>
    public static TheoryData<string, uint> HeaderRelativeAnswers => new()
    {
        { "ll_word", 0x00010203 },   // the MAC header's first word, though a socket filter's data is the network header
        { "net_half", 0x1011 },      // bytes 2-3 of the network header (frame bytes 16-17)
        { "ll_ind", 0x21 },          // LD_IND, SKF_LL_OFF + len - 17 in a register: frame byte 33
        { "ll_beyond", 0 },          // frame byte 64 is past the end: the program ends with 0
        { "tc_ll_word", 0x0c0d0e0f },
        { "sub_loads", 0x118 },      // network header byte 3 (0x11) + 7 + 0x100
    };

    static readonly byte[] pattern = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    public static TheoryData<string, uint, ExecutionEngine> HeaderRelativeOnEveryEngine =>
        EngineTheories.Cross(HeaderRelativeAnswers);

    [Theory, MemberData(nameof(OnEveryEngine))]
    public void BpfSharp_gives_the_kernels_answer(string program, uint expected, ExecutionEngine engine) =>
        Assert.Equal(expected, Run(program, new byte[64], engine));

    [Theory, MemberData(nameof(HeaderRelativeOnEveryEngine))]
    public void Header_relative_offsets_read_what_the_kernel_reads(string program, uint expected, ExecutionEngine engine) =>
        Assert.Equal(expected, Run(program, pattern, engine));

    static uint Run(string program, byte[] packet, ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        return obj.Programs[program].Run(new RunOptions { Data = packet, Engine = engine }).ReturnValue;
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(KernelAnswers))]
    public void The_kernel_still_gives_these_answers(string program, uint expected)
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(expected, kernel.Run(program).ReturnValue);
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(HeaderRelativeAnswers))]
    public void The_kernel_still_reads_these_headers(string program, uint expected)
    {
        using var kernel = KernelOracle.Load(Object);
        Assert.Equal(expected, kernel.Run(program, new KernelRunOptions { Data = pattern }).ReturnValue);
    }
}
