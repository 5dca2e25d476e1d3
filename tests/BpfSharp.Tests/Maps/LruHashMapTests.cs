using BpfSharp.Maps;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_LRU_HASH: a full map makes room by evicting an element not used recently
/// (kernel/bpf/hashtab.c htab_lru_map_update_elem, kernel/bpf/bpf_lru_list.c); program lookups mark elements used,
/// the host's do not (htab_lru_map_lookup_elem_sys).</summary>
public class LruHashMapTests
{
    static BpfMap Create(uint entries = 4) => BpfMap.Create(new MapSpec("lru", MapType.LruHash, 4, 8, entries), 2);

    [Fact]
    public void A_full_map_evicts_instead_of_failing()
    {
        using var map = Create(entries: 4);
        var hash = map.AsHash<uint, ulong>();
        for (uint k = 0; k < 10; k++) hash.Update(k, k);
        Assert.Equal(4, hash.Keys.Count());
        Assert.Equal(9UL, hash.Lookup(9)); // the newest is there
    }

    [Fact]
    public void A_key_a_program_used_survives_eviction()
    {
        using var map = Create(entries: 4);
        var hash = map.AsHash<uint, ulong>();
        for (uint k = 1; k <= 4; k++) hash.Update(k, k);
        Assert.Equal(1UL, Run(ReadU64(map, 1), map)); // marks key 1 used
        hash.Update(5, 5);
        Assert.Equal(1UL, hash.Lookup(1));
        Assert.Equal(5UL, hash.Lookup(5));
        Assert.Equal(4, hash.Keys.Count());
    }

    [Fact]
    public void Flags_keep_their_meaning()
    {
        using var map = Create();
        var hash = map.AsHash<uint, ulong>();
        Assert.Equal("ENOENT", Errno(() => hash.Update(1, 1, MapUpdateFlags.Exist)));
        hash.Update(1, 1, MapUpdateFlags.NoExist);
        Assert.Equal("EEXIST", Errno(() => hash.Update(1, 2, MapUpdateFlags.NoExist)));
        hash.Update(1, 3, MapUpdateFlags.Exist);
        Assert.Equal(3UL, hash.Lookup(1));
        Assert.True(hash.Delete(1));
        Assert.False(hash.Delete(1));
    }

    [Fact]
    public void A_program_inserting_into_a_full_map_evicts_too()
    {
        using var map = Create(entries: 2);
        for (uint k = 0; k < 5; k++) Assert.Equal(0UL, Run(UpdateU32(map, k, k, 0), map));
        Assert.Equal(2, map.Keys.Count());
    }
}
