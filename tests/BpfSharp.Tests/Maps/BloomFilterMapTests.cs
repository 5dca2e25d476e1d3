using BpfSharp.Helpers;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_BLOOM_FILTER (kernel/bpf/bloom_filter.c): push adds, peek answers 0 or -ENOENT.</summary>
public class BloomFilterMapTests
{
    static BpfMap Create(uint entries = 1000, ulong hashes = 0) =>
        BpfMap.Create(new MapSpec("seen", MapType.BloomFilter, 0, 8, entries, MapExtra: hashes), 2);

    [Fact]
    public void Added_values_are_always_found_and_others_mostly_not()
    {
        using var map = Create();
        var bloom = map.AsBloomFilter<ulong>();
        for (ulong v = 0; v < 1000; v++) bloom.Add(v * 0x9E3779B97F4A7C15);
        for (ulong v = 0; v < 1000; v++) Assert.True(bloom.MayContain(v * 0x9E3779B97F4A7C15)); // no false negatives
        var falsePositives = Enumerable.Range(1, 10_000).Count(i => bloom.MayContain((ulong)i << 40));
        Assert.InRange(falsePositives, 0, 500); // 5 hashes over a 8192-bit set hold 1000 values at about 1%
    }

    [Fact]
    public void The_hash_count_comes_from_map_extra_and_sizes_the_bitset()
    {
        using var five = Create(entries: 1000);
        var filter = (BloomFilterMap)five.Map;
        Assert.Equal(5, filter.HashCount);             // map_extra 0 → 5
        Assert.Equal(8192UL, filter.BitCount);          // roundup_pow_of_two(1000 * 5 / 5 * 7)
        using var three = Create(entries: 1000, hashes: 3);
        Assert.Equal(3, ((BloomFilterMap)three.Map).HashCount);
    }

    [Fact]
    public void Only_push_with_BPF_ANY_and_peek_are_supported()
    {
        using var map = Create();
        Assert.Equal("EINVAL", Errno(() => map.Update([], U64(1), MapUpdateFlags.Exist)));
        Assert.Equal("EOPNOTSUPP", Errno(() => map.Delete([])));
        Assert.Equal("EOPNOTSUPP", Errno(() => map.GetNextKey(null)));
        Assert.Equal("ENOTSUPP", Errno(() => map.TryLookupAndDelete([], new byte[8])));
    }

    [Fact]
    public void A_program_pushes_and_peeks()
    {
        using var map = Create();
        Assert.Equal(0UL, Run(QueueMapTests.Push(map, 77, 0), map));
        var peek = Code(U64ValueIn(BpfSharp.Isa.Register.R2, 77), LoadMap(BpfSharp.Isa.Register.R1, map),
            BpfSharp.Isa.Asm.CallHelper((int)HelperId.MapPeekElem), BpfSharp.Isa.Asm.Exit());
        Assert.Equal(0UL, Run(peek, map));
        var absent = Code(U64ValueIn(BpfSharp.Isa.Register.R2, 78), LoadMap(BpfSharp.Isa.Register.R1, map),
            BpfSharp.Isa.Asm.CallHelper((int)HelperId.MapPeekElem), BpfSharp.Isa.Asm.Exit());
        Assert.Equal(Err(2), Run(absent, map));
        Assert.Equal(Err(22), Run(QueueMapTests.Push(map, 77, 2), map)); // -EINVAL: only BPF_ANY
    }

    [FactRequires(Requirement.Kernel)]
    public void Pushing_with_flags_answers_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("bloom_filter", 0, 8, 16);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create(entries: 16);
        Assert.Equal(kernel!.Push(U64(1)), Of(() => ours.Update([], U64(1))));
        Assert.Equal(kernel.Push(U64(1), "exist"), Of(() => ours.Update([], U64(1), MapUpdateFlags.Exist)));
    }
}
