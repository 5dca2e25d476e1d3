using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>Instructions newer than RFC 9669's first groups (tests/fixtures/instructions): may_goto (Linux 6.9),
/// load-acquire/store-release (Linux 6.15), the number iterator's kfuncs (Linux 6.4), the other way to loop, and the
/// kfuncs of RCU and preemption regions.</summary>
public partial class KernelFixtureTests
{
    public static readonly KernelScenario MayGoto = Scenario("instructions/may_goto.o",
        "loops bounded by may_goto (cond_break): a counted loop, a loop over the packet's length through " +
        "bpf_skb_load_bytes, and a subprogram called three times, each call a frame with its own budget",
        Run("sum_to_ten", 45), RunOn("sum_of_packet", 2016, Bytes([.. Enumerable.Range(0, 64).Select(i => (byte)i)])), Run("nested", 6));

    [FactRequires(Requirement.Kernel)]
    public void Loops_bounded_by_may_goto_load_and_run() => Verify(MayGoto);

    public static readonly KernelScenario MayGotoPacket = Refused("instructions/may_goto_packet.o",
        "a may_goto loop walking the packet with a pointer: pointers are not widened, so no iteration's state matches " +
        "the one before and the pending branches run out", "walk_packet", 7, "The sequence of 8193 jumps is too complex.");

    [FactRequires(Requirement.Kernel)]
    public void A_may_goto_loop_moving_a_packet_pointer_is_refused() => Verify(MayGotoPacket);

    public static readonly KernelScenario Ordered = Scenario("instructions/ordered.o",
        "load-acquire of 8, 16 and 64 bits and a 32-bit store-release on the stack; 16- and 8-bit store-releases into " +
        "an array value read back whole with a load-acquire",
        Run("on_the_stack", 0x66226688), Run("in_a_map_value", 0xbeef0042), Dump("cell", Entry(U32(0), U64(0xbeef0042))));

    [FactRequires(Requirement.Kernel)]
    public void Load_acquire_and_store_release_move_the_bytes_the_kernel_moves() => Verify(Ordered);

    public static readonly KernelScenario IterNum = Scenario("instructions/iter_num.o",
        "the open-coded number iterator (bpf_iter_num_new/next/destroy, what bpf_for and bpf_repeat expand to): sums " +
        "and counts over ranges, a negative start, the last ints before INT_MAX, start > end (-EINVAL) and one more " +
        "than BPF_MAX_LOOPS (-E2BIG) yielding nothing, next() after the end, an element indexing a stack array, and " +
        "a __weak kfunc no kernel has, whose poisoned call is never reached",
        Run("sum_to_ten", 45), Run("repeat_five", 5), Run("negative_start", 57), Run("reversed_range", 2200),
        Run("too_many", 700), Run("at_int_max", 12), Run("drained_stays_drained", 1), Run("table_lookup", 36),
        Run("guarded_missing_kfunc", 3));

    [FactRequires(Requirement.Kernel)]
    public void Number_iterator_loops_load_and_run() => Verify(IterNum);

    public static readonly KernelScenario IterBits = Scenario("instructions/iter_bits.o",
        "the open-coded bits iterator (bpf_iter_bits_new/next/destroy, what bpf_for_each(bits, ...) expands to): the " +
        "set bits of one word (returned as sum * 100 + count), of three on the stack, of two in .data; new() with NULL " +
        "or no words (-EINVAL), 512 words (-E2BIG), an unreadable word (-EFAULT) or words (-ERANGE, a user-half " +
        "address), each leaving an iterator with no bits",
        Run("one_word", 7304), Run("three_words", 32403), Run("global_words", 12803), Run("errors", 0),
        Dump(".bss", Entry(U32(0), S64(0, 1, 0, 0, -22, -22, -7, -14, -34, 0, 0, 0))));

    [FactRequires(Requirement.Kernel)]
    public void Bits_iterator_loops_load_and_run() => Verify(IterBits);

    public static readonly KernelScenario Regions = Scenario("instructions/regions.o",
        "kfuncs that open and close regions: a map value updated inside bpf_rcu_read_lock/unlock, and preemption " +
        "disabled twice and enabled twice",
        Run("counted_under_rcu", 7), Dump("counts", Entry(U32(0), U64(7))), Run("nested_preemption", 3));

    [FactRequires(Requirement.Kernel)]
    public void Rcu_and_preemption_regions_load_and_run() => Verify(Regions);
}
