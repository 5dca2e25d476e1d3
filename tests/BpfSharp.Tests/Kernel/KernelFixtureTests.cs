using System.Reflection;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>The kernel's answers for every fixture in tests/fixtures/{tailcalls,maps,core,testrun,helpers}: each scenario
/// below states them, each test replays one in the running kernel (root, bpftool) and compares step by step. The
/// same scenarios are recorded in tests/fixtures/kernel-expectations.json for machines without root; BpfSharp must
/// give these answers on the same objects. This file: tail calls and global data.</summary>
public partial class KernelFixtureTests
{
    /// <summary>Every scenario declared in this class, by name (computed on use: the fields live in several files,
    /// whose initialisation order C# leaves open).</summary>
    public static IReadOnlyList<KernelScenario> All => all.Value;

    static readonly Lazy<IReadOnlyList<KernelScenario>> all = new(() => typeof(KernelFixtureTests)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .SelectMany(f => f.GetValue(null) switch
        {
            KernelScenario s => [s],
            KernelScenario[] many => many,
            _ => Array.Empty<KernelScenario>(),
        })
        .OrderBy(s => s.Name, StringComparer.Ordinal).ToList());

    /// <summary>Replays a scenario in the kernel and compares every step's outcome with the stated one. A scenario
    /// the running kernel refuses for want of a helper or kfunc in its build is skipped, naming the kernel.</summary>
    static void Verify(KernelScenario expected)
    {
        var observed = ScenarioRunner.Observe(expected);
        if (expected.Rejected is null && observed.Rejected is { } refused && RunningKernel.IsBuildRefusal(refused.Message))
            Skip.If(true, $"{RunningKernel.Description} refuses {expected.Object} ({refused.Message}): its build lacks what " +
                $"scenario '{expected.Name}' needs; not a BpfSharp difference");
        var on = $"on {RunningKernel.Description}";
        Assert.Equal($"{on}, rejected: {KernelExpectations.Json(expected.Rejected)}", $"{on}, rejected: {KernelExpectations.Json(observed.Rejected)}");
        for (var i = 0; i < observed.Steps.Count; i++)
            Assert.Equal($"{on}, {expected.Name}, step {i}: {KernelExpectations.Json(expected.Steps[i])}",
                $"{on}, {expected.Name}, step {i}: {KernelExpectations.Json(observed.Steps[i])}");
    }

    public static readonly KernelScenario FoldedReturn = Scenario("tailcalls/folded_return.o",
        "server1/server2: a subprogram that tail-calls; clang folded its constant 0xf00d into server1, musttail server2 returns the target's value",
        Run("server1", 0xf00d), Run("server2", 0xf00d),
        Slot("bar", 0, "serve"),
        Run("serve", 0xcafe), Run("server1", 0xf00d), Run("server2", 0xcafe));

    [FactRequires(Requirement.Kernel)]
    public void Server1_returns_0xf00d_and_server2_0xcafe_when_bar0_holds_serve() => Verify(FoldedReturn);

    public static readonly KernelScenario SubprogTail = Scenario("tailcalls/subprog_tail.o",
        "a tail call from a subprogram unwinds only that frame: the target's r0 returns to the subprogram's caller",
        Run("via_sub", 65), Run("via_musttail", 64),
        Slot("jt", 0, "target"),
        Run("target", 0xcafe), Run("via_sub", 0xcaff), Run("via_musttail", 0xcafe));

    [FactRequires(Requirement.Kernel)]
    public void A_tail_call_from_a_subprogram_returns_the_targets_value_to_the_subprograms_caller() => Verify(SubprogTail);

    public static readonly KernelScenario StackFrames = Scenario("tailcalls/stack_frames.o",
        "frames -> f1 -> f2 -> f3 (tail call) with live stack arrays in every frame; the folds show each frame's stack survived",
        Run("leaf", 0x1b8fb51c), Run("frames", 0x2ce870c5),
        Slot("jt", 0, "leaf"),
        Run("frames", 0xc2fe1916));

    [FactRequires(Requirement.Kernel)]
    public void Stack_arrays_in_every_frame_survive_a_tail_call_from_the_deepest_subprogram() => Verify(StackFrames);

    public static readonly KernelScenario EmptySlot = Scenario("tailcalls/empty_slot.o",
        "a tail call to an empty slot does nothing; execution continues after the call",
        Slot("jt", 0, "target"),
        Run("call_filled", 0xcafe), Run("call_empty", 0xf00d),
        Dump("jt", Holds(U32(0), "target")));

    [FactRequires(Requirement.Kernel)]
    public void A_tail_call_to_an_empty_slot_falls_through() => Verify(EmptySlot);

    public static readonly KernelScenario IndexBeyond = Scenario("tailcalls/index_beyond.o",
        "index >= max_entries falls through, constant or not; only the low 32 bits of the index count",
        Slot("jt", 0, "target"), Slot("jt", 1, "target"),
        Run("const_index", 0xf00d), Run("runtime_index", 0xf00d), Run("wide_index", 0xcafe));

    [FactRequires(Requirement.Kernel)]
    public void An_index_past_max_entries_falls_through_and_only_its_low_32_bits_count() => Verify(IndexBeyond);

    public static readonly KernelScenario SlotUpdate = Scenario("tailcalls/slot_update.o",
        "the prog array is read at every call: updates and deletes between runs redirect the same program",
        Run("entry", 0xf00d),
        Slot("jt", 0, "first"), Run("entry", 1),
        Slot("jt", 0, "second"), Run("entry", 2),
        Clear("jt", 0), Run("entry", 0xf00d));

    [FactRequires(Requirement.Kernel)]
    public void Updating_the_prog_array_between_runs_changes_the_target() => Verify(SlotUpdate);

    public static readonly KernelScenario StaticInit = Scenario("tailcalls/static_init.o",
        "a prog array initialised in the object (__array(values, ...), .values = { [0] = &first, [2] = &third })",
        Dump("jt", Holds(U32(0), "first"), Holds(U32(2), "third")),
        Run("call0", 0x10), Run("call1", 0xf00d), Run("call2", 0x30));

    [FactRequires(Requirement.Kernel)]
    public void A_statically_initialised_prog_array_holds_its_programs_after_load() => Verify(StaticInit);

    public static readonly KernelScenario Globals = Scenario("tailcalls/globals.o",
        ".bss, .data and .rodata globals read and written by the program and from user space",
        Run("bump", 15), Run("bump", 33),
        Dump(".data", Entry(U32(0), U32(7))),
        Write(".data", 0, U32(100)),
        Run("bump", 333),
        Dump(".bss", Entry(U32(0), U64(111))), Dump(".data", Entry(U32(0), U32(101))), Dump(".rodata", Entry(U32(0), U32(3))));

    [FactRequires(Requirement.Kernel)]
    public void Global_variables_live_in_bss_data_and_rodata_maps() => Verify(Globals);

    public static readonly KernelScenario[] TailLimit =
    [
        Variant("tailcalls/tail_limit.o", "K=32", "32 filled slots: 32 tail calls, 33 programs ran",
            [.. Slots("chain", 1, 32, "link"), Run("link0", 32), Dump(".bss", Entry(U32(0), U32(33)))]),
        Variant("tailcalls/tail_limit.o", "K=33", "33 filled slots: 33 tail calls, 34 programs ran",
            [.. Slots("chain", 1, 33, "link"), Run("link0", 33), Dump(".bss", Entry(U32(0), U32(34)))]),
        Variant("tailcalls/tail_limit.o", "K=38", "38 filled slots: still 33 tail calls (the 34th fails and falls through), 34 programs ran",
            [.. Slots("chain", 1, 38, "link"), Run("link0", 33), Dump(".bss", Entry(U32(0), U32(34)))]),
        Variant("tailcalls/tail_limit.o", "self", "a program that tail-calls itself runs 34 times",
            Slot("loop", 0, "self"), Run("self", 34), Dump(".bss", Entry(U32(0), U32(34)))),
    ];

    [FactRequires(Requirement.Kernel)]
    public void A_chain_of_32_slots_runs_33_programs() => Verify(TailLimit[0]);

    [FactRequires(Requirement.Kernel)]
    public void A_chain_of_33_slots_runs_34_programs() => Verify(TailLimit[1]);

    [FactRequires(Requirement.Kernel)]
    public void A_chain_of_38_slots_stops_after_33_tail_calls_so_34_programs_ran() => Verify(TailLimit[2]);

    [FactRequires(Requirement.Kernel)]
    public void A_program_tail_calling_itself_runs_34_times() => Verify(TailLimit[3]);

    public static readonly KernelScenario Hierarchy = Scenario("tailcalls/hierarchy.o",
        "root calls a subprogram twice, each tail-calls root: one 33-call budget for the whole invocation, root ran 34 times",
        Slot("jt", 0, "root"), Run("root", 1), Dump(".bss", Entry(U32(0), U32(34))));

    [FactRequires(Requirement.Kernel)]
    public void Tail_calls_from_subprograms_share_one_budget_so_root_runs_34_times() => Verify(Hierarchy);
}
