using BpfSharp.Execution;
using BpfSharp.Isa;
using BpfSharp.Maps;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;

namespace BpfSharp.Tests.Maps;

/// <summary>Map handles: what lddw loads, resolved in O(1), with forged or stale values refused.</summary>
public class MapRegistryTests
{
    static BpfMap Create() => BpfMap.Create(new MapSpec("m", MapType.Array, 4, 8, 1), 1);

    [Fact]
    public void A_handle_is_the_tag_a_generation_and_the_id()
    {
        using var map = Create();
        Assert.Equal(0xEB9FUL, map.Handle >> 48);
        Assert.Equal((uint)map.Id, (uint)map.Handle);
        Assert.NotEqual(0, (int)(map.Handle >> 32 & 0xFFFF));
        Assert.Same(map.Map, MapRegistry.Find(map.Handle));
        Assert.Same(map.Map, MapRegistry.FindById((uint)map.Id));
    }

    [Fact]
    public void Forged_values_resolve_to_nothing()
    {
        using var map = Create();
        Assert.Null(MapRegistry.Find(map.Handle & 0xFFFF_FFFF));          // no tag
        Assert.Null(MapRegistry.Find(map.Handle ^ 0x0001_0000_0000_0000)); // wrong tag
        Assert.Null(MapRegistry.Find(map.Handle + 0x1_0000_0000));         // wrong generation
        Assert.Null(MapRegistry.Find(MapRegistry.Tag | 0xFFFF_FFFF));       // no such id
        Assert.Null(MapRegistry.Find(0));
    }

    [Fact]
    public void A_disposed_maps_handle_stops_resolving_even_if_its_id_is_reused()
    {
        var first = Create();
        var stale = first.Handle;
        first.Dispose();
        Assert.Null(MapRegistry.Find(stale));
        using var second = Create();
        Assert.NotEqual(stale, second.Handle);
        Assert.Null(MapRegistry.Find(stale));
        Assert.Throws<ObjectDisposedException>(() => first.Lookup(new byte[4]));
    }

    [Fact]
    public void A_program_passing_something_else_than_a_map_is_stopped_with_a_clear_error()
    {
        using var map = Create();
        var forged = Code(Asm.LoadImm64(R1, MapRegistry.Tag | 0x7777_7777), U32KeyInR2(0), Asm.CallHelper(1), Asm.Exit());
        var e = Assert.Throws<BpfRuntimeException>(() => Run(forged, map));
        Assert.Equal("test (bpf_map_lookup_elem): insn 5: 0xeb9f000077777777 is not a map (lddw of a live map's handle)", e.Message);
        Assert.Throws<BpfRuntimeException>(() => Run(Code(Asm.Mov64(R1, R10), U32KeyInR2(0), Asm.CallHelper(1), Asm.Exit()), map));
    }
}
