using BpfSharp.Execution;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;
using static BpfSharp.Tests.Examples.ExampleObject;

namespace BpfSharp.Tests.Examples;

/// <summary>examples/fib against Fibonacci computed here: the recursion over 8 frames is exact up to n = 7 and makes
/// the textbook number of calls, the loop form up to n = 93 in n + 1 rounds; past the limits both return -1 as u32.
/// The kernel's answers for the same object are in KernelFixtureTests.Fib.</summary>
public class FibTests
{
    static (ulong Value, ulong Calls) Recursive(uint n) =>
        n < 2 ? (n, 1) : Add(Recursive(n - 1), Recursive(n - 2));

    static (ulong, ulong) Add((ulong Value, ulong Calls) a, (ulong Value, ulong Calls) b) => (a.Value + b.Value, a.Calls + b.Calls + 1);

    static ulong Iterative(uint n)
    {
        ulong a = 0, b = 1;
        for (var i = 0u; i < n; i++) (a, b) = (b, a + b);
        return a;
    }

    public static TheoryData<ExecutionEngine> Engines => EngineTheories.Engines;

    [Theory, MemberData(nameof(Engines))]
    public void The_recursion_gives_fib_and_its_call_count_up_to_7_and_refuses_8(ExecutionEngine engine)
    {
        using var obj = Load("fib/fib.o");
        for (var n = 0u; n <= 8; n++)
        {
            SetInput(obj, n);
            var r0 = Run(obj, "fib_recursive", engine).ReturnValue;
            var (value, calls) = n <= 7 ? Recursive(n) : (0UL, 0UL);
            Assert.Equal(n <= 7 ? (uint)value : 0xffffffff, r0);
            Assert.Equal((calls, value), (Output(obj, 0), Output(obj, 8)));
        }
    }

    [Theory, MemberData(nameof(Engines))]
    public void The_loop_gives_fib_up_to_93_in_n_plus_1_rounds_and_refuses_94(ExecutionEngine engine)
    {
        using var obj = Load("fib/fib.o");
        foreach (var n in new uint[] { 0, 1, 2, 10, 50, 92, 93, 94 })
        {
            SetInput(obj, n);
            var r0 = Run(obj, "fib_loop", engine).ReturnValue;
            Assert.Equal(n <= 93 ? (uint)Iterative(n) : 0xffffffff, r0);
            Assert.Equal(n <= 93 ? (n + 1UL, Iterative(n)) : (0UL, 0UL), (Output(obj, 0), Output(obj, 8)));
        }
    }

    [Fact]
    public void The_recursion_uses_8_functions_and_the_loop_one()
    {
        using var obj = Load("fib/fib.o");
        Assert.Equal(8, obj.Programs["fib_recursive"].Verification!.StackDepths.Count);
        Assert.Single(obj.Programs["fib_loop"].Verification!.StackDepths);
        Assert.DoesNotContain(obj.Programs["fib_loop"].Executable.Code.ToArray(), i => i.Opcode == Opcode.Call);
    }

    [Fact]
    public void The_verifier_prunes_the_recursion_about_as_the_kernel_does()
    {
        // Linux 6.18 processes 1742 instructions for fib_recursive (bpftool -d prog loadall): callers' frames are
        // compared by precision, so each function's body is walked a few times per call site, not once per path.
        using var obj = Load("fib/fib.o");
        Assert.InRange(obj.Programs["fib_recursive"].Verification!.ProcessedInstructions, 1742 / 2, 1742 * 2);
    }

    [Fact]
    public void Nine_frames_are_refused_at_the_call_that_makes_the_ninth()
    {
        var e = Assert.Throws<VerifierException>(() => Load("fib/fib_too_deep.o"));
        Assert.Equal("fib_recursive", e.Program);
        Assert.Equal("the call stack of 9 frames is too deep", e.Reason);
    }
}
