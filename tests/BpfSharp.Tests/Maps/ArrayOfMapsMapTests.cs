using BpfSharp.Abi;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_ARRAY_OF_MAPS (kernel/bpf/arraymap.c, kernel/bpf/map_in_map.c).</summary>
public class ArrayOfMapsMapTests
{
    internal static readonly MapSpec Inner = new("inner", MapType.Array, 4, 8, 4);

    static BpfMap Create() => BpfMap.Create(new MapSpec("outer", MapType.ArrayOfMaps, 4, 4, 2, InnerMap: Inner), 2);

    /// <summary>inner = lookup(outer, &amp;0); return inner ? *lookup(inner, &amp;key) : 0xdead.</summary>
    internal static Instruction[] ReadThroughOuter(BpfMap outer, uint outerKey, uint innerKey) => Code(
        LookupU32(outer, outerKey),
        Asm.Jump(Opcode.JneImm, R0, 0, 2), Asm.Mov64(R0, 0xdead), Asm.Exit(),
        Asm.Mov64(R1, R0), U32KeyInR2(innerKey), Asm.CallHelper(1),
        Asm.Jump(Opcode.JneImm, R0, 0, 2), Asm.Mov64(R0, 0xbeef), Asm.Exit(),
        Asm.Load(Opcode.LdxDw, R0, R0, 0), Asm.Exit());

    [Fact]
    public void A_program_looks_up_the_inner_map_and_then_its_value()
    {
        using var outer = Create();
        using var inner = BpfMap.Create(Inner, 2);
        inner.AsArray<ulong>()[1] = 42;
        Assert.Equal(0xdeadUL, Run(ReadThroughOuter(outer, 0, 1), [outer, inner]));
        outer.AsMapOfMaps().Update(0, inner);
        Assert.Equal(42UL, Run(ReadThroughOuter(outer, 0, 1), [outer, inner]));
        Assert.Equal(0xbeefUL, Run(ReadThroughOuter(outer, 0, 9), [outer, inner]));
        Assert.Equal(inner.Handle, Run(Code(LookupU32(outer, 0), Asm.Exit()), outer)); // the inner map itself
    }

    [Fact]
    public void Only_maps_that_fit_the_template_can_be_stored()
    {
        using var outer = Create();
        using var other = BpfMap.Create(Inner with { MaxEntries = 8 }, 2);
        using var hash = BpfMap.Create(new MapSpec("h", MapType.Hash, 4, 8, 4), 2);
        Assert.Equal("EINVAL", Errno(() => outer.AsMapOfMaps().Update(0, other))); // bpf_map_meta_equal
        Assert.Equal("EINVAL", Errno(() => outer.AsMapOfMaps().Update(0, hash)));
        using var fits = BpfMap.Create(Inner, 2);
        Assert.Equal("E2BIG", Errno(() => outer.AsMapOfMaps().Update(2, fits)));
        Assert.Equal("EINVAL", Errno(() => outer.AsMapOfMaps().Update(0, fits, MapUpdateFlags.Exist)));
    }

    [Fact]
    public void With_BPF_F_INNER_MAP_the_sizes_may_differ()
    {
        var template = Inner with { Flags = MapFlags.InnerMap };
        using var outer = BpfMap.Create(new MapSpec("outer", MapType.ArrayOfMaps, 4, 4, 2, InnerMap: template), 2);
        using var bigger = BpfMap.Create(template with { MaxEntries = 64 }, 2);
        outer.AsMapOfMaps().Update(1, bigger);
        using var found = outer.AsMapOfMaps().Lookup(1);
        Assert.Equal(64u, found!.MaxEntries);
    }

    [Fact]
    public void The_outer_map_keeps_an_inner_map_alive_until_it_lets_go()
    {
        using var outer = Create();
        var inner = BpfMap.Create(Inner, 2);
        inner.AsArray<ulong>()[0] = 7;
        var handle = inner.Handle;
        outer.AsMapOfMaps().Update(0, inner);
        inner.Dispose();
        using (var again = outer.AsMapOfMaps().Lookup(0))
        {
            Assert.Equal(handle, again!.Handle);
            Assert.Equal(7UL, again.AsArray<ulong>()[0]);
            Assert.Equal(7UL, Run(ReadThroughOuter(outer, 0, 0), [outer, again]));
        }
        Assert.True(outer.AsMapOfMaps().Delete(0));
        Assert.Null(MapRegistry.Find(handle)); // the last reference is gone
        Assert.False(outer.AsMapOfMaps().Delete(0));
    }

    [Fact]
    public void The_host_reads_ids_and_stores_by_id_as_the_kernel_does_with_fds()
    {
        using var outer = Create();
        using var inner = BpfMap.Create(Inner, 2);
        outer.Update(U32(1), U32((uint)inner.Id));
        Assert.Equal(U32((uint)inner.Id), outer.Lookup(U32(1)));
        Assert.Null(outer.Lookup(U32(0)));
        Assert.Equal("EBADF", Errno(() => outer.Update(U32(0), U32(0))));
    }

    [Fact]
    public void A_template_is_required_and_cannot_be_a_map_of_maps_or_a_program_array()
    {
        Assert.Equal("EINVAL", Errno(() => BpfMap.Create(new MapSpec("o", MapType.ArrayOfMaps, 4, 4, 2))));
        var nested = new MapSpec("n", MapType.ArrayOfMaps, 4, 4, 2, InnerMap: Inner);
        Assert.Equal("EINVAL", Errno(() => BpfMap.Create(new MapSpec("o", MapType.ArrayOfMaps, 4, 4, 2, InnerMap: nested))));
        var programs = new MapSpec("p", MapType.ProgArray, 4, 4, 2);
        Assert.Equal("ENOTSUPP", Errno(() => BpfMap.Create(new MapSpec("o", MapType.ArrayOfMaps, 4, 4, 2, InnerMap: programs))));
        Assert.Equal("EINVAL", Errno(() => BpfMap.Create(new MapSpec("o", MapType.ArrayOfMaps, 4, 8, 2, InnerMap: Inner))));
    }

    [FactRequires(Requirement.Kernel)]
    public void Fitting_the_template_is_judged_as_the_kernel_does()
    {
        var (inner, e1) = KernelMap.Create("array", 4, 8, 4);
        var (outer, e2) = KernelMap.Create("array_of_maps", 4, 4, 2, inner: inner);
        var (other, e3) = KernelMap.Create("array", 4, 8, 8);
        Assert.Equal((null, null, null), (e1, e2, e3));
        using var _ = inner; using var __ = outer; using var ___ = other;
        using var ours = Create();
        using var ourInner = BpfMap.Create(Inner, 2);
        using var ourOther = BpfMap.Create(Inner with { MaxEntries = 8 }, 2);
        Assert.Equal(outer!.UpdateWithMap(U32(0), inner!), Of(() => ours.AsMapOfMaps().Update(0, ourInner)));
        Assert.Equal(outer.UpdateWithMap(U32(1), other!), Of(() => ours.AsMapOfMaps().Update(1, ourOther)));
        Assert.Equal(outer.UpdateWithMap(U32(2), inner!), Of(() => ours.AsMapOfMaps().Update(2, ourInner)));
        Assert.Equal(outer.Delete(U32(1)), Of(() => Assert.False(ours.AsMapOfMaps().Delete(1))) ?? "ENOENT");
    }
}
