using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_HASH_OF_MAPS (kernel/bpf/hashtab.c, kernel/bpf/map_in_map.c).</summary>
public class HashOfMapsMapTests
{
    static BpfMap Create() => BpfMap.Create(new MapSpec("outer", MapType.HashOfMaps, 4, 4, 2, InnerMap: ArrayOfMapsMapTests.Inner), 2);

    [Fact]
    public void A_program_reaches_an_inner_map_by_key()
    {
        using var outer = Create();
        using var inner = BpfMap.Create(ArrayOfMapsMapTests.Inner, 2);
        inner.AsArray<ulong>()[2] = 5;
        outer.AsMapOfMaps().Update(1000, inner);
        Assert.Equal(5UL, Run(ArrayOfMapsMapTests.ReadThroughOuter(outer, 1000, 2), [outer, inner]));
        Assert.Equal(0xdeadUL, Run(ArrayOfMapsMapTests.ReadThroughOuter(outer, 1001, 2), [outer, inner]));
    }

    [Fact]
    public void Hash_rules_apply_to_the_keys()
    {
        using var outer = Create();
        using var a = BpfMap.Create(ArrayOfMapsMapTests.Inner, 2);
        using var b = BpfMap.Create(ArrayOfMapsMapTests.Inner, 2);
        var maps = outer.AsMapOfMaps();
        Assert.Equal("ENOENT", Errno(() => maps.Update(1, a, MapUpdateFlags.Exist)));
        maps.Update(1, a);
        Assert.Equal("EEXIST", Errno(() => maps.Update(1, b, MapUpdateFlags.NoExist)));
        maps.Update(2, a);
        Assert.Equal("E2BIG", Errno(() => maps.Update(3, b)));
        maps.Update(1, b);                                   // replacing releases a's reference for key 1
        using (var found = maps.Lookup(1)) Assert.Equal(b.Id, found!.Id);
        Assert.True(maps.Delete(2));
        Assert.False(maps.Delete(2));
        Assert.Equal([1u], outer.Keys.Select(k => BitConverter.ToUInt32(k)));
    }

    [Fact]
    public void Entries_keep_their_maps_alive()
    {
        using var outer = Create();
        var inner = BpfMap.Create(ArrayOfMapsMapTests.Inner, 2);
        var handle = inner.Handle;
        outer.AsMapOfMaps().Update(7, inner);
        outer.AsMapOfMaps().Update(8, inner);
        inner.Dispose();
        Assert.True(outer.AsMapOfMaps().Delete(7));
        Assert.NotNull(MapRegistry.Find(handle)); // key 8 still holds it
        Assert.True(outer.AsMapOfMaps().Delete(8));
        Assert.Null(MapRegistry.Find(handle));
    }

    [FactRequires(Requirement.Kernel)]
    public void Flags_fullness_and_fit_answer_as_the_kernel()
    {
        var (inner, e1) = KernelMap.Create("array", 4, 8, 4);
        var (outer, e2) = KernelMap.Create("hash_of_maps", 4, 4, 2, inner: inner);
        var (other, e3) = KernelMap.Create("array", 4, 8, 8);
        Assert.Equal((null, null, null), (e1, e2, e3));
        using var _ = inner; using var __ = outer; using var ___ = other;
        using var ours = Create();
        using var ourInner = BpfMap.Create(ArrayOfMapsMapTests.Inner, 2);
        using var ourOther = BpfMap.Create(ArrayOfMapsMapTests.Inner with { MaxEntries = 8 }, 2);
        var maps = ours.AsMapOfMaps();
        Assert.Equal(outer!.UpdateWithMap(U32(1), inner!, "exist"), Of(() => maps.Update(1, ourInner, MapUpdateFlags.Exist)));
        Assert.Equal(outer.UpdateWithMap(U32(1), inner!), Of(() => maps.Update(1, ourInner)));
        Assert.Equal(outer.UpdateWithMap(U32(1), inner!, "noexist"), Of(() => maps.Update(1, ourInner, MapUpdateFlags.NoExist)));
        Assert.Equal(outer.UpdateWithMap(U32(2), other!), Of(() => maps.Update(2, ourOther)));
        Assert.Equal(outer.UpdateWithMap(U32(2), inner!), Of(() => maps.Update(2, ourInner)));
        Assert.Equal(outer.UpdateWithMap(U32(3), inner!), Of(() => maps.Update(3, ourInner)));
    }
}
