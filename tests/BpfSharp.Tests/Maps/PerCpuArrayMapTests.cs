using BpfSharp.Maps;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_PERCPU_ARRAY (kernel/bpf/arraymap.c, bpf_percpu_array_copy / _update).</summary>
public class PerCpuArrayMapTests
{
    static BpfMap Create(int slots = 4) => BpfMap.Create(new MapSpec("pcpu", MapType.PercpuArray, 4, 8, 2), slots);

    [Fact]
    public void Every_slot_starts_at_zero_and_the_host_sees_all_of_them()
    {
        using var map = Create();
        var array = map.AsPerCpuArray<ulong>();
        Assert.Equal([0UL, 0UL, 0UL, 0UL], array[1]);
        array.Update(1, [1, 2, 3, 4]);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], array[1]);
        array.UpdateAllSlots(0, 9);
        Assert.Equal([9UL, 9UL, 9UL, 9UL], array[0]);
        Assert.Equal(32, map.HostValueSize);
    }

    [Fact]
    public void Errors_are_the_arrays()
    {
        using var map = Create();
        var array = map.AsPerCpuArray<ulong>();
        Assert.Equal("E2BIG", Errno(() => array.UpdateAllSlots(2, 1)));
        Assert.Equal("EEXIST", Errno(() => array.UpdateAllSlots(0, 1, MapUpdateFlags.NoExist)));
        Assert.Equal("EINVAL", Errno(() => map.Delete(U32(0))));
        Assert.Throws<ArgumentException>(() => array.Update(0, [1, 2]));
    }

    [Fact]
    public void Programs_in_different_slots_count_separately()
    {
        using var map = Create();
        for (var slot = 0; slot < 4; slot++)
            for (var i = 0; i <= slot; i++)
                Run(AtomicIncrement(map, 1), map, slot);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], map.AsPerCpuArray<ulong>()[1]);
        Assert.Equal(0UL, Run(UpdateU32(map, 0, 5, 0), map, slot: 3)); // a program writes its own slot only
        Assert.Equal([0UL, 0UL, 0UL, 5UL], map.AsPerCpuArray<ulong>()[0]);
    }
}
