using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>Map creation checks (the kernels' <c>*_map_alloc_check</c>), each row measured on Linux 6.18 with the
/// same attributes; the kernel theory re-measures them wherever bpftool can create the map.</summary>
public class MapCreateTests
{
    const uint NoPrealloc = MapFlags.NoPrealloc, NoCommonLru = MapFlags.NoCommonLru, Numa = MapFlags.NumaNode,
        RdonlyProg = MapFlags.ReadOnlyProgram, WronlyProg = MapFlags.WriteOnlyProgram, ZeroSeed = MapFlags.ZeroSeed,
        Mmapable = MapFlags.Mmapable, Preserve = MapFlags.PreserveElems, Inner = MapFlags.InnerMap;

    /// <summary>bpftool's type name, key, value, entries, flags, and the errno (or "ok").</summary>
    public static TheoryData<string, uint, uint, uint, uint, string> Specs => new()
    {
        { "array", 4, 8, 4, 0, "ok" },
        { "array", 8, 8, 4, 0, "EINVAL" },
        { "array", 4, 0, 4, 0, "EINVAL" },
        { "array", 4, 8, 0, 0, "EINVAL" },
        { "array", 4, 8, 4, NoPrealloc, "EINVAL" },
        { "array", 4, 8, 4, Inner, "ok" },
        { "array", 4, 8, 4, Mmapable, "ok" },
        { "array", 4, 8, 4, Preserve, "EINVAL" },
        { "array", 4, 8, 4, RdonlyProg | WronlyProg, "EINVAL" },
        { "array", 4, 8, 4, MapFlags.ReadOnly | MapFlags.WriteOnly, "EINVAL" },
        { "array", 4, 8, 4, ZeroSeed, "EINVAL" },
        { "percpu_array", 4, 8, 4, Mmapable, "EINVAL" },
        { "percpu_array", 4, 8, 4, Inner, "EINVAL" },
        { "percpu_array", 4, 8, 4, Numa, "EINVAL" },
        { "percpu_array", 4, 32768, 1, 0, "ok" },
        { "percpu_array", 4, 32769, 1, 0, "E2BIG" },
        { "hash", 4, 8, 4, 0, "ok" },
        { "hash", 0, 8, 4, 0, "EINVAL" },
        { "hash", 4, 0, 4, 0, "EINVAL" },
        { "hash", 4, 8, 0, 0, "EINVAL" },
        { "hash", 4, 8, 4, NoPrealloc, "ok" },
        { "hash", 4, 8, 4, NoCommonLru, "EINVAL" },
        { "hash", 4, 8, 4, ZeroSeed, "ok" },
        { "hash", 4, 8, 4, Mmapable, "EINVAL" },
        { "hash", 4, 8, 4, Inner, "EINVAL" },
        { "hash", 4 << 20, 8, 1, NoPrealloc, "E2BIG" },
        { "hash", 4, 8, (1 << 27) + 1, NoPrealloc, "E2BIG" },
        { "percpu_hash", 4, 32776, 1, 0, "E2BIG" },
        { "lru_hash", 4, 8, 4, NoPrealloc, "ENOTSUPP" },
        { "lru_hash", 4, 8, 4, NoCommonLru, "ok" },
        { "lru_percpu_hash", 4, 8, 4, 0, "ok" },
        { "lpm_trie", 8, 8, 4, 0, "EINVAL" },
        { "lpm_trie", 8, 8, 4, NoPrealloc, "ok" },
        { "lpm_trie", 4, 8, 4, NoPrealloc, "EINVAL" },
        { "lpm_trie", 5, 8, 4, NoPrealloc, "ok" },
        { "lpm_trie", 260, 8, 4, NoPrealloc, "ok" },
        { "lpm_trie", 261, 8, 4, NoPrealloc, "EINVAL" },
        { "lpm_trie", 8, 0, 4, NoPrealloc, "EINVAL" },
        { "lpm_trie", 8, 8, 4, NoPrealloc | ZeroSeed, "EINVAL" },
        { "queue", 0, 4, 2, 0, "ok" },
        { "queue", 4, 4, 2, 0, "EINVAL" },
        { "queue", 0, 0, 2, 0, "EINVAL" },
        { "queue", 0, 4, 2, NoPrealloc, "EINVAL" },
        { "queue", 0, 4, 2, RdonlyProg, "ok" },
        { "queue", 0, (4 << 20) + 1, 1, 0, "E2BIG" },
        { "stack", 0, 4, 0, 0, "EINVAL" },
        { "stack", 0, 4, 2, ZeroSeed, "EINVAL" },
        { "bloom_filter", 0, 4, 100, 0, "ok" },
        { "bloom_filter", 4, 4, 100, 0, "EINVAL" },
        { "bloom_filter", 0, 4, 100, NoPrealloc, "EINVAL" },
        { "bloom_filter", 0, 4, 100, ZeroSeed, "ok" },
        { "ringbuf", 0, 0, 4096, 0, "ok" },
        { "ringbuf", 0, 0, 4095, 0, "EINVAL" },
        { "ringbuf", 0, 0, 12288, 0, "EINVAL" },
        { "ringbuf", 0, 0, 2048, 0, "EINVAL" },
        { "ringbuf", 4, 0, 4096, 0, "EINVAL" },
        { "ringbuf", 0, 0, 4096, RdonlyProg, "EINVAL" },
        { "ringbuf", 0, 0, 4096, Numa, "ok" },
        { "cgroup_storage", 8, 8, 0, 0, "ok" },
        { "cgroup_storage", 16, 8, 0, 0, "ok" },
        { "cgroup_storage", 12, 8, 0, 0, "EINVAL" },
        { "cgroup_storage", 4, 8, 0, 0, "EINVAL" },
        { "cgroup_storage", 8, 8, 1, 0, "EINVAL" },
        { "cgroup_storage", 8, 0, 0, 0, "EINVAL" },
        { "cgroup_storage", 8, 65407, 0, 0, "ok" },
        { "cgroup_storage", 8, 65408, 0, 0, "E2BIG" },
        { "cgroup_storage", 8, 8, 0, NoPrealloc, "EINVAL" },
        { "cgroup_storage", 8, 8, 0, RdonlyProg, "ok" },
        { "percpu_cgroup_storage", 8, 32768, 0, 0, "ok" },
        { "percpu_cgroup_storage", 8, 32769, 0, 0, "E2BIG" },
        { "prog_array", 4, 4, 4, 0, "ok" },
        { "prog_array", 4, 8, 4, 0, "EINVAL" },
        { "prog_array", 4, 4, 4, RdonlyProg, "EINVAL" },
        { "perf_event_array", 4, 4, 4, 0, "ok" },
        { "perf_event_array", 4, 8, 4, 0, "EINVAL" },
        { "perf_event_array", 4, 4, 4, Preserve, "ok" },
        { "stack_trace", 4, 8, 4, 0, "ok" },
        { "stack_trace", 4, 1016, 4, 0, "ok" },
        { "stack_trace", 4, 1024, 4, 0, "EINVAL" },
        { "stack_trace", 4, 12, 4, 0, "EINVAL" },
        { "stack_trace", 8, 8, 4, 0, "EINVAL" },
        { "stack_trace", 4, 8, 0, 0, "EINVAL" },
        { "stack_trace", 4, 8, 4, NoPrealloc, "EINVAL" },
        { "stack_trace", 4, 32, 4, MapFlags.StackBuildId, "ok" },
        { "stack_trace", 4, 40, 4, MapFlags.StackBuildId, "EINVAL" },
        { "devmap", 4, 4, 4, 0, "ok" },
        { "devmap", 4, 8, 4, 0, "ok" },
        { "devmap", 4, 12, 4, 0, "EINVAL" },
        { "devmap", 8, 4, 4, 0, "EINVAL" },
        { "devmap", 4, 4, 0, 0, "EINVAL" },
        { "devmap", 4, 4, 4, NoPrealloc, "EINVAL" },
        { "devmap_hash", 4, 8, 4, 0, "ok" },
        { "devmap_hash", 8, 8, 4, 0, "EINVAL" },
        { "cpumap", 4, 4, 2, 0, "ok" },
        { "cpumap", 4, 8, 2, 0, "ok" },
        { "cpumap", 4, 12, 2, 0, "EINVAL" },
        { "cpumap", 4, 4, 8193, 0, "E2BIG" },
        { "cpumap", 4, 4, 2, MapFlags.ReadOnly, "EINVAL" },
        { "xskmap", 4, 4, 2, 0, "ok" },
        { "xskmap", 4, 8, 2, 0, "EINVAL" },
        { "sockmap", 4, 8, 2, 0, "ok" },
        { "sockmap", 4, 4, 2, 0, "ok" },
        { "sockmap", 8, 8, 2, 0, "EINVAL" },
        { "sockmap", 4, 16, 2, 0, "EINVAL" },
        { "sockmap", 4, 8, 0, 0, "EINVAL" },
        { "sockmap", 4, 8, 2, NoPrealloc, "EINVAL" },
        { "sockmap", 4, 8, 2, Numa, "ok" },
        { "sockhash", 16, 8, 2, 0, "ok" },
        { "sockhash", 0, 8, 2, 0, "EINVAL" },
        { "sockhash", 65536, 8, 2, 0, "E2BIG" },
        { "sockhash", 4, 2, 2, 0, "EINVAL" },
    };

    static MapType TypeOf(string name) => Enum.Parse<MapType>(name.Replace("_", ""), ignoreCase: true);

    [Theory, MemberData(nameof(Specs))]
    public void Creation_is_checked_as_the_kernel_checks_it(string type, uint key, uint value, uint entries, uint flags, string expected)
    {
        var result = Of(() => BpfMap.Create(new MapSpec("m", TypeOf(type), key, value, entries, flags), 2).Dispose());
        Assert.Equal(expected, result ?? "ok");
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(Specs))]
    public void The_kernel_gives_the_same_answer(string type, uint key, uint value, uint entries, uint flags, string expected)
    {
        var (map, error) = KernelMap.Create(type, key, value, entries, flags);
        map?.Dispose();
        Assert.Equal(expected, error ?? "ok");
    }

    [Fact]
    public void A_failure_names_the_map_the_field_and_the_errno()
    {
        var e = Assert.Throws<MapException>(() => BpfMap.Create(new MapSpec("counts", MapType.Array, 8, 8, 4)));
        Assert.Equal("map 'counts': create: key_size must be 4 for Array maps, not 8 (EINVAL)", e.Message);
        Assert.Equal(22, e.Errno);
    }

    [Fact]
    public void Map_extra_is_only_for_bloom_filters_and_holds_at_most_15_hashes()
    {
        Assert.Equal("EINVAL", Errno(() => BpfMap.Create(new MapSpec("h", MapType.Hash, 4, 4, 4, MapExtra: 1))));
        Assert.Equal("EINVAL", Errno(() => BpfMap.Create(new MapSpec("b", MapType.BloomFilter, 0, 4, 4, MapExtra: 16))));
        using var bloom = BpfMap.Create(new MapSpec("b", MapType.BloomFilter, 0, 4, 4, MapExtra: 15));
    }

    [Fact]
    public void Unsupported_kinds_say_so()
    {
        var e = Assert.Throws<MapException>(() => BpfMap.Create(new MapSpec("d", MapType.ReuseportSockarray, 4, 4, 4)));
        Assert.Equal("map 'd': create: ReuseportSockarray maps are not supported by BpfSharp (EOPNOTSUPP)", e.Message);
    }
}
