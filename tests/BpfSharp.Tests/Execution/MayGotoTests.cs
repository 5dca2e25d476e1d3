using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Execution;

/// <summary>How long a may_goto loop runs. The kernel's do_misc_fixups gives each frame that uses may_goto a counter
/// of BPF_MAX_LOOPS (8 * 1024 * 1024) in its stack: each may_goto falls through while it is above zero, decrementing
/// it, and jumps once it is spent. x86-64 has replaced the count with a clock since Linux 6.14 (about 250 ms per
/// frame: this machine's kernel returned 858442967 for until_spent, a number of its speed); BpfSharp keeps the count,
/// as the kernel's interpreter and its other JITs do, so that a run's answer does not depend on the machine.</summary>
public class MayGotoTests
{
    const long MaxLoops = 8 * 1024 * 1024;

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Each_frame_falls_through_max_loops_times_then_jumps(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Fixtures.PathOf("instructions/may_goto.o"));
        var program = obj.Programs["until_spent"];
        Assert.True(program.IsVerified);
        // spin() counts one before each may_goto: MaxLoops fall-throughs, then the jump out; two calls, two budgets.
        Assert.Equal((uint)(2 * (MaxLoops + 1)), program.Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue);
    }
}
