using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>The kernel's answers for examples/fib and examples/bmc-split. The values are also computed independently
/// (FibTests, BmcSplitTests) and by hand: fib(7) = 13 in 41 calls, fib(93) = 12200160415121876738 in 94 rounds.</summary>
public partial class KernelFixtureTests
{
    public static readonly KernelScenario Fib = Example("fib/fib.o",
        "textbook fib over BPF-to-BPF calls fib6..fib0 (8 frames, exact up to n = 7) and the tail-recursive form clang turns into a loop (n up to 93)",
        Run("fib_recursive", 13), Dump(".bss", Entry(U32(0), U64(41, 13))),
        Write(".data", 0, U32(0)), Run("fib_recursive", 0), Dump(".bss", Entry(U32(0), U64(1, 0))),
        Write(".data", 0, U32(8)), Run("fib_recursive", 0xffffffff),
        Write(".data", 0, U32(7)), Run("fib_loop", 13), Dump(".bss", Entry(U32(0), U64(8, 13))),
        Write(".data", 0, U32(93)), Run("fib_loop", 572466946), Dump(".bss", Entry(U32(0), U64(94, 12200160415121876738))),
        Write(".data", 0, U32(94)), Run("fib_loop", 0xffffffff));

    [FactRequires(Requirement.Kernel)]
    public void Fib_recursive_runs_in_8_frames_and_the_tail_recursive_form_in_one() => Verify(Fib);

    public static readonly KernelScenario FibTooDeep = RefusedExample("fib/fib_too_deep.o",
        "the same recursion one level deeper (fib7..fib0, 9 frames): MAX_CALL_FRAMES is 8",
        "fib_recursive", 7, "the call stack of 9 frames is too deep");

    [FactRequires(Requirement.Kernel)]
    public void Fib_recursive_in_9_frames_is_refused() => Verify(FibTooDeep);

    /// <summary>struct hash_state after the last stage: done = 131072, the xorshift32 state, the hash.</summary>
    static string HashState(uint x, ulong h) => U32(131072, x) + U64(h);

    public static readonly KernelScenario BmcSplit = Example("bmc-split/bmc_split.o",
        "FNV-1a over 131072 xorshift32 bytes in 16 tail-called runs of one stage (18 programs, 17 tail calls), state in a per-CPU array",
        Dump("stages", Holds(U32(0), "bmc_hash"), Holds(U32(1), "bmc_finish")),
        Run("bmc_start", 383598320), Dump(".bss", Entry(U32(0), U64(11838049871076343536))),
        DumpPerCpu("state", Entry(U32(0), HashState(0xf1e9c892, 11838049871076343536))),
        Write(".data", 0, U32(2)), Run("bmc_start", 2651156312), Dump(".bss", Entry(U32(0), U64(16993472193029828440))),
        DumpPerCpu("state", Entry(U32(0), HashState(0xace54cff, 16993472193029828440))));

    [FactRequires(Requirement.Kernel)]
    public void The_split_hash_runs_in_18_tail_called_programs() => Verify(BmcSplit);

    public static readonly KernelScenario BmcSingle = RefusedExample("bmc-split/bmc_single.o",
        "the same hash in one program: 131072 loop iterations are more than the verifier's million instructions",
        "bmc_single", 7, "BPF program is too large. Processed 1000001 insn");

    [FactRequires(Requirement.Kernel)]
    public void The_hash_in_one_program_is_too_large_for_the_verifier() => Verify(BmcSingle);
}
