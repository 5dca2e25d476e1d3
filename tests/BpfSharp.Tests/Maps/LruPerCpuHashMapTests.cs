using BpfSharp.Maps;
using static BpfSharp.Tests.Maps.MapPrograms;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_LRU_PERCPU_HASH: LRU eviction with a value per slot; an existing key's value is updated in
/// place (__htab_lru_percpu_map_update_elem).</summary>
public class LruPerCpuHashMapTests
{
    static BpfMap Create() => BpfMap.Create(new MapSpec("lrupc", MapType.LruPercpuHash, 4, 8, 2), 2);

    [Fact]
    public void Values_are_per_slot_and_a_full_map_evicts()
    {
        using var map = Create();
        var hash = map.AsPerCpuHash<uint, ulong>();
        hash.Update(1, [1, 2]);
        Assert.Equal(1UL, Run(AtomicIncrement(map, 1), map, slot: 1));
        Assert.Equal([1UL, 3UL], hash.Lookup(1)!);
        hash.UpdateAllSlots(2, 5);
        hash.UpdateAllSlots(3, 6);
        Assert.Equal(2, hash.Keys.Count());
        Assert.Equal([6UL, 6UL], hash.Lookup(3)!);
    }

    [Fact]
    public void A_program_update_of_an_existing_key_changes_only_its_slot()
    {
        using var map = Create();
        map.AsPerCpuHash<uint, ulong>().Update(1, [1, 2]);
        Assert.Equal(0UL, Run(UpdateU32(map, 1, 9, 2), map, slot: 0));
        Assert.Equal([9UL, 2UL], map.AsPerCpuHash<uint, ulong>().Lookup(1)!);
    }
}
