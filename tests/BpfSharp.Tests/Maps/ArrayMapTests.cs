using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_ARRAY, with the answers of kernel/bpf/arraymap.c.</summary>
public class ArrayMapTests
{
    static BpfMap Create(uint entries = 4) => BpfMap.Create(new MapSpec("counts", MapType.Array, 4, 8, entries), 2);

    [Fact]
    public void Values_start_at_zero_and_read_back_what_was_written()
    {
        using var map = Create();
        var array = map.AsArray<ulong>();
        Assert.Equal(0UL, array[3]);
        array[3] = 42;
        Assert.Equal(42UL, array[3]);
        Assert.Equal(4, array.Length);
    }

    [Fact]
    public void Update_errors_are_the_kernels()
    {
        using var map = Create();
        var array = map.AsArray<ulong>();
        Assert.Equal("EEXIST", Errno(() => array.Update(1, 5, MapUpdateFlags.NoExist)));   // array_map_update_elem: every element exists
        Assert.Equal("E2BIG", Errno(() => array.Update(4, 5)));                            // index >= max_entries
        Assert.Equal("EINVAL", Errno(() => map.Update(U32(1), U64(5), (MapUpdateFlags)3)));  // flags > BPF_EXIST
        Assert.Equal("EINVAL", Errno(() => array.Update(1, 5, MapUpdateFlags.Lock)));       // no bpf_spin_lock in the value
        array.Update(1, 5, MapUpdateFlags.Exist);
        Assert.Equal(5UL, array[1]);
    }

    [Fact]
    public void Delete_is_EINVAL_and_lookup_past_the_end_is_ENOENT()
    {
        using var map = Create();
        Assert.Equal("EINVAL", Errno(() => map.Delete(U32(1))));   // array_map_delete_elem
        Assert.Null(map.Lookup(U32(4)));                           // array_map_lookup_elem: NULL
        Assert.Equal("ENOENT", Errno(() => _ = map.AsArray<ulong>()[4]));
    }

    [Fact]
    public void Get_next_key_goes_in_index_order_and_restarts_from_a_missing_key()
    {
        using var map = Create();
        Assert.Equal([0u, 1u, 2u, 3u], map.Keys.Select(k => BitConverter.ToUInt32(k)));
        Assert.Equal(0u, BitConverter.ToUInt32(map.GetNextKey(U32(9))!)); // array_map_get_next_key: index >= max → 0
        Assert.Null(map.GetNextKey(U32(3)));                              // last → ENOENT
    }

    [Fact]
    public void A_program_looks_up_its_key_on_the_stack_and_increments_the_value()
    {
        using var map = Create();
        map.AsArray<ulong>()[2] = 40;
        Assert.Equal(1UL, Run(AtomicIncrement(map, 2), map));
        Assert.Equal(1UL, Run(AtomicIncrement(map, 2), map));
        Assert.Equal(42UL, map.AsArray<ulong>()[2]);
        Assert.Equal(0UL, Run(AtomicIncrement(map, 4), map)); // NULL past the end
    }

    [Fact]
    public void A_program_updates_with_the_kernels_errors()
    {
        using var map = Create();
        Assert.Equal(0UL, Run(UpdateU32(map, 1, 7, 0), map));
        Assert.Equal(7UL, map.AsArray<ulong>()[1]);
        Assert.Equal(Err(17), Run(UpdateU32(map, 1, 7, 1), map)); // -EEXIST
        Assert.Equal(Err(7), Run(UpdateU32(map, 9, 7, 0), map));  // -E2BIG
        Assert.Equal(Err(22), Run(DeleteU32(map, 1), map));       // -EINVAL
    }

    [Fact]
    public void A_store_past_the_value_inside_the_block_is_allowed_but_past_the_block_faults()
    {
        using var map = Create();
        // The verifier would reject both; bounds-checked mode only guarantees the host is safe.
        var pastLast = Code(LookupU32(map, 3), Asm.Jump(Opcode.JeqImm, R0, 0, 1), Asm.Store(Opcode.StDw, R0, 8, 1), Asm.Mov64(R0, 0), Asm.Exit());
        Assert.Throws<BpfSharp.Execution.MemoryFaultException>(() => Run(pastLast, map));
    }

    [FactRequires(Requirement.Kernel)]
    public void The_same_operations_give_the_same_results_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("array", 4, 8, 4);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create();
        Assert.Equal(kernel!.Update(U32(1), U64(5), "noexist"), Of(() => ours.Update(U32(1), U64(5), MapUpdateFlags.NoExist)));
        Assert.Equal(kernel.Update(U32(4), U64(5)), Of(() => ours.Update(U32(4), U64(5))));
        Assert.Equal(kernel.Update(U32(1), U64(5), "exist"), Of(() => ours.Update(U32(1), U64(5), MapUpdateFlags.Exist)));
        Assert.Equal(kernel.Delete(U32(1)), Of(() => ours.Delete(U32(1))));
        Assert.Equal(kernel.Lookup(U32(1)).Value, ours.Lookup(U32(1)));
        Assert.Equal("ENOENT", kernel.Lookup(U32(4)).Error);
        Assert.Null(ours.Lookup(U32(4)));
        Assert.Equal(kernel.Keys(), ours.Keys.ToList());
        Assert.Equal(kernel.GetNext(U32(9)).Next, ours.GetNextKey(U32(9)));
    }
}
