using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_PROG_ARRAY and bpf_tail_call through <see cref="TailCallTargets"/> (kernel/bpf/arraymap.c,
/// kernel/bpf/core.c __bpf_prog_map_compatible).</summary>
public class ProgArrayMapTests
{
    static BpfMap Create() => BpfMap.Create(new MapSpec("jmp", MapType.ProgArray, 4, 4, 4), 2);

    static ExecutableProgram Returns(string name, int value, ProgramType type = ProgramType.SchedCls) =>
        new(name, [Asm.Mov64(R0, value), Asm.Exit()], type);

    /// <summary>Tail-calls slot <paramref name="slot"/> of <paramref name="map"/>; returns 0xf00d if it falls through.</summary>
    static Instruction[] TailCaller(BpfMap map, long slot) => Code(LoadMap(R2, map), Asm.LoadImm64(R3, (ulong)slot),
        Asm.CallHelper((int)HelperId.TailCall), Asm.Mov64(R0, 0xf00d), Asm.Exit());

    [Fact]
    public void More_slots_than_can_be_allocated_is_ENOMEM_not_a_crash()
    {
        // max_entries 2^31: the kernel's bpf_map_area_alloc fails; a .NET array cannot have that many elements either
        var e = Assert.Throws<MapException>(() => BpfMap.Create(new MapSpec("huge", MapType.ProgArray, 4, 4, 0x80000000u), 2));
        Assert.Equal(Errno.ENOMEM, e.Errno);
        Assert.Contains("max_entries 2147483648", e.Message);
    }

    [Fact]
    public void A_program_tail_calls_into_a_slot_and_falls_through_an_empty_one()
    {
        using var map = Create();
        var programs = map.AsProgramArray();
        programs.Set(1, Returns("serve_drink", 0xcafe));
        Assert.Equal(0xcafeUL, Run(TailCaller(map, 1), map));
        Assert.Equal(0xf00dUL, Run(TailCaller(map, 0), map));
        Assert.Equal(0xf00dUL, Run(TailCaller(map, 4), map));
        Assert.True(programs.Clear(1));
        Assert.Equal(0xf00dUL, Run(TailCaller(map, 1), map));
    }

    [Fact]
    public void The_index_is_a_u32_as_in_the_kernel()
    {
        using var map = Create();
        map.AsProgramArray().Set(0, Returns("t", 0xcafe));
        Assert.Equal(0xcafeUL, Run(TailCaller(map, 1L << 32), map)); // u32 index = BPF_R3
    }

    [Fact]
    public void The_first_program_fixes_the_arrays_type()
    {
        using var map = Create();
        var programs = map.AsProgramArray();
        Assert.Null(programs.OwnerType);
        programs.Set(0, Returns("a", 1, ProgramType.Xdp));
        Assert.Equal(ProgramType.Xdp, programs.OwnerType);
        var e = Assert.Throws<MapException>(() => programs.Set(1, Returns("b", 2, ProgramType.SchedCls)));
        Assert.Equal("map 'jmp': update: program 'b' is a SchedCls program; this array holds Xdp programs (EINVAL)", e.Message);
        programs.Clear(0);
        Assert.Equal("EINVAL", Errno(() => programs.Set(0, Returns("b", 2, ProgramType.SchedCls)))); // the owner stays
        Assert.False(programs.Claim(ProgramType.Kprobe));
    }

    [Fact]
    public void Slot_errors_are_the_fd_arrays()
    {
        using var map = Create();
        var programs = map.AsProgramArray();
        Assert.Equal("E2BIG", Errno(() => programs.Set(4, Returns("a", 1))));
        Assert.False(programs.Clear(0));                            // fd_array_map_delete_elem: empty → ENOENT
        Assert.Equal("E2BIG", Errno(() => programs.Clear(4)));
        Assert.Equal("EBADF", Errno(() => map.Update(U32(0), U32(3)))); // no program fds here
        Assert.Null(map.Lookup(U32(0)));
    }

    [Fact]
    public void Targets_resolve_only_live_program_arrays()
    {
        using var array = Create();
        using var hash = BpfMap.Create(new MapSpec("h", MapType.Hash, 4, 4, 4));
        array.AsProgramArray().Set(0, Returns("t", 1));
        Assert.NotNull(TailCallTargets.Instance.Find(array.Handle, 0));
        Assert.Null(TailCallTargets.Instance.Find(hash.Handle, 0));
        Assert.Null(TailCallTargets.Instance.Find(array.Handle ^ 0x1_0000_0000, 0)); // another generation
        Assert.Null(TailCallTargets.Instance.Find(0x1234, 0));
    }

    [FactRequires(Requirement.Kernel)]
    public void Empty_and_out_of_range_slots_answer_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("prog_array", 4, 4, 4);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create();
        Assert.Equal(kernel!.Delete(U32(0)), Of(() => Assert.False(ours.Delete(U32(0)))) ?? "ENOENT");
        Assert.Equal(kernel.Delete(U32(9)), Of(() => ours.Delete(U32(9))));
        Assert.Equal(kernel.Lookup(U32(0)).Error, ours.Lookup(U32(0)) is null ? "ENOENT" : null);
        Assert.Equal(kernel.Keys(), ours.Keys.ToList());
    }
}
