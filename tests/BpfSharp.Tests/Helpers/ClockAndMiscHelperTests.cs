using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Execution;
using BpfSharp.Tests.Execution;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Tests.Helpers;

/// <summary>The clocks (bpf_ktime_get_boot_ns, _coarse_ns, bpf_jiffies64), bpf_get_prandom_u32, bpf_get_func_ip and
/// bpf_get_attach_cookie.</summary>
public class ClockAndMiscHelperTests
{
    [Fact]
    public void Boot_time_never_trails_the_monotonic_clock()
    {
        using var h = new HelperHarness();
        var mono = h.Call(HelperId.KtimeGetNs);
        Assert.True(h.Call(HelperId.KtimeGetBootNs) >= mono);
    }

    [Fact]
    public void The_coarse_clock_lags_the_monotonic_one_by_at_most_a_few_ticks()
    {
        using var h = new HelperHarness();
        var coarse = h.Call(HelperId.KtimeGetCoarseNs);
        var mono = h.Call(HelperId.KtimeGetNs);
        Assert.InRange(mono - coarse, 0UL, 20_000_000UL);
    }

    [Fact]
    public void Jiffies_count_250_hz_ticks_from_INITIAL_JIFFIES()
    {
        using var h = new HelperHarness();
        var expected = 4294892296UL + TimeHelpers.MonotonicNanoseconds() / 4_000_000; // (u32)(-300 * HZ) + ticks
        Assert.InRange(h.Call(HelperId.Jiffies64), expected, expected + 25);
    }

    [Fact]
    public void Random_draws_are_u32s_that_vary()
    {
        using var h = new HelperHarness();
        var draws = Enumerable.Range(0, 64).Select(_ => h.Call(HelperId.GetPrandomU32)).ToList();
        Assert.All(draws, d => Assert.True(d <= uint.MaxValue));
        Assert.True(draws.Distinct().Count() > 1);
    }

    [Fact]
    public void Func_ip_is_the_address_of_the_calling_programs_first_instruction()
    {
        var program = new ExecutableProgram("traced", [Asm.CallHelper((int)HelperId.GetFuncIp), Asm.Exit()]);
        using var inv = new Invocation(StandardHelpers.Create());
        Assert.Equal(program.StartAddress, Interpreter.Run(program, inv, 0));
    }

    [Theory]
    [MemberData(nameof(Machine.Engines), MemberType = typeof(Machine))]
    public void The_attach_cookie_is_what_the_host_set_and_zero_by_default(ExecutionEngine engine)
    {
        var code = Machine.Code(Asm.CallHelper((int)HelperId.GetAttachCookie), Asm.Exit());
        using var inv = new Invocation(StandardHelpers.Create());
        Assert.Equal(0UL, Machine.Run(engine, code, [], invocation: inv));
        inv.AttachCookie = 0xc0ffee_0000_0001;
        Assert.Equal(0xc0ffee_0000_0001UL, Machine.Run(engine, code, [], invocation: inv));
    }
}
