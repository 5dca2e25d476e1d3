using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_HASH, with the answers of kernel/bpf/hashtab.c (preallocated).</summary>
public class HashMapTests
{
    static BpfMap Create(uint entries = 2) => BpfMap.Create(new MapSpec("counts", MapType.Hash, 4, 8, entries), 2);

    [Fact]
    public void Typed_updates_lookups_and_deletes()
    {
        using var map = Create();
        var hash = map.AsHash<uint, ulong>();
        Assert.Null(hash.Lookup(6));
        hash.Update(6, 60);
        Assert.Equal(60UL, hash.Lookup(6));
        hash.Update(6, 61);
        Assert.Equal(61UL, hash.Lookup(6));
        Assert.True(hash.TryLookupAndDelete(6, out var old));
        Assert.Equal(61UL, old);
        Assert.False(hash.Delete(6));
    }

    [Fact]
    public void Flags_and_fullness_give_the_kernels_errors()
    {
        using var map = Create(entries: 2);
        var hash = map.AsHash<uint, ulong>();
        Assert.Equal("ENOENT", Errno(() => hash.Update(1, 1, MapUpdateFlags.Exist)));  // check_flags: BPF_EXIST, absent
        hash.Update(1, 1);
        hash.Update(2, 2, MapUpdateFlags.NoExist);
        Assert.Equal("EEXIST", Errno(() => hash.Update(1, 1, MapUpdateFlags.NoExist))); // check_flags: BPF_NOEXIST, present
        Assert.Equal("E2BIG", Errno(() => hash.Update(3, 3)));                          // alloc_htab_elem: free list empty
        hash.Update(1, 10);                                                               // replacing works when full
        hash.Update(2, 20, MapUpdateFlags.Exist);
        Assert.Equal(10UL, hash.Lookup(1));
        Assert.Equal(20UL, hash.Lookup(2));
        Assert.Equal("EINVAL", Errno(() => hash.Update(1, 1, (MapUpdateFlags)3)));
        Assert.Equal("EINVAL", Errno(() => hash.Update(1, 1, MapUpdateFlags.Lock)));   // no bpf_spin_lock in the value
        Assert.True(hash.Delete(1));
        hash.Update(3, 3);                                                                // a deleted element is reused
        Assert.Equal(new uint[] { 2, 3 }, hash.Keys.Order());
    }

    [Fact]
    public void Get_next_key_visits_every_key_once_and_restarts_from_a_missing_key()
    {
        using var map = Create(entries: 100);
        var hash = map.AsHash<uint, ulong>();
        for (uint k = 0; k < 100; k++) hash.Update(k * 7919, k);
        var keys = hash.Keys.ToList();
        Assert.Equal(100, keys.Distinct().Count());
        Assert.Equal(keys[0], BitConverter.ToUInt32(map.GetNextKey(U32(12345))!)); // htab_map_get_next_key: missing → first
        Assert.Null(map.GetNextKey(U32(keys[^1])));
    }

    [Fact]
    public void A_program_increments_updates_and_deletes()
    {
        using var map = Create();
        map.AsHash<uint, ulong>().Update(5, 41);
        Assert.Equal(1UL, Run(AtomicIncrement(map, 5), map));
        Assert.Equal(42UL, Run(ReadU64(map, 5), map));
        Assert.Equal(0UL, Run(AtomicIncrement(map, 6), map));  // NULL: absent
        Assert.Equal(0UL, Run(UpdateU32(map, 6, 7, 1), map));
        Assert.Equal(Err(7), Run(UpdateU32(map, 8, 7, 0), map)); // -E2BIG
        Assert.Equal(Err(17), Run(UpdateU32(map, 6, 7, 1), map)); // -EEXIST
        Assert.Equal(0UL, Run(DeleteU32(map, 6), map));
        Assert.Equal(Err(2), Run(DeleteU32(map, 6), map));       // -ENOENT
    }

    [Fact]
    public void A_pointer_kept_after_delete_still_points_into_the_maps_memory()
    {
        using var map = Create();
        map.AsHash<uint, ulong>().Update(5, 1);
        var pointer = Run(Code(LookupU32(map, 5), BpfSharp.Isa.Asm.Exit()), map);
        map.AsHash<uint, ulong>().Delete(5);
        map.AsHash<uint, ulong>().Update(9, 2); // reuses the element, as the kernel's preallocated map may
        Assert.Contains(map.Regions, r => r.Contains(pointer, 8));
    }

    [FactRequires(Requirement.Kernel)]
    public void The_same_operations_give_the_same_results_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("hash", 4, 8, 2);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create(entries: 2);
        (byte[] Key, byte[] Value, string Flags, MapUpdateFlags Ours)[] steps =
        [
            (U32(1), U64(1), "exist", MapUpdateFlags.Exist), (U32(1), U64(1), "any", MapUpdateFlags.Any),
            (U32(2), U64(2), "noexist", MapUpdateFlags.NoExist), (U32(1), U64(9), "noexist", MapUpdateFlags.NoExist),
            (U32(3), U64(3), "any", MapUpdateFlags.Any), (U32(1), U64(10), "any", MapUpdateFlags.Any),
            (U32(2), U64(20), "exist", MapUpdateFlags.Exist),
        ];
        foreach (var (key, value, flags, ourFlags) in steps)
            Assert.Equal(kernel!.Update(key, value, flags), Of(() => ours.Update(key, value, ourFlags)));
        Assert.Equal(kernel!.Lookup(U32(1)).Value, ours.Lookup(U32(1)));
        Assert.Equal(kernel.Delete(U32(3)), Of(() => Assert.False(ours.Delete(U32(3)))) ?? "ENOENT");
        Assert.Equal(kernel.Keys().Select(k => BitConverter.ToUInt32(k)).Order(), ours.Keys.Select(k => BitConverter.ToUInt32(k)).Order());
    }
}
