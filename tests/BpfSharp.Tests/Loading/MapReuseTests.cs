using BpfSharp.Events;
using BpfSharp.Abi;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Tests.Examples;

namespace BpfSharp.Tests.Loading;

/// <summary>LoadOptions.ReuseMaps (libbpf's map reuse), BpfObject.WriteGlobal and ProgramChain, on examples/chain.</summary>
public class MapReuseTests
{
    static string Stage(string file) => Path.Combine(ExampleObject.PathOf("chain"), file);

    static readonly MapSpec ChainProgs = new("chain_progs", MapType.ProgArray, 4, 4, 16);

    [Fact]
    public void A_reused_map_is_the_same_map_in_every_object_and_outlives_them()
    {
        using var shared = BpfMap.Create(ChainProgs);
        var options = new LoadOptions { ReuseMaps = new Dictionary<string, BpfMap> { ["chain_progs"] = shared } };
        using (var counter = BpfObject.Load(Stage("counter.o"), options))
        using (var filter = BpfObject.Load(Stage("filter.o"), options))
        {
            Assert.Equal(shared.Id, counter.Maps["chain_progs"].Id);
            Assert.Equal(shared.Id, filter.Maps["chain_progs"].Id);
            shared.AsProgramArray()[1] = filter.Programs["filter"];
            Assert.Same(filter.Programs["filter"], counter.Maps["chain_progs"].AsProgramArray()[1]);
            shared.AsProgramArray()[1] = null;
        }
        Assert.Equal(ProgramType.Xdp, shared.AsProgramArray().OwnerType);
    }

    [Fact]
    public void A_reused_global_data_map_keeps_its_contents()
    {
        using var first = BpfObject.Load(Stage("filter.o"));
        first.WriteGlobal("blocked_port", 8080);
        using var second = BpfObject.Load(Stage("filter.o"), new LoadOptions { ReuseMaps = new Dictionary<string, BpfMap> { ["filter.data"] = first.Maps["filter.data"] } });
        Assert.Equal(BitConverter.GetBytes(8080u), second.Maps["filter.data"].Lookup(new byte[4]));
    }

    [Fact]
    public void A_map_that_differs_from_the_definition_is_refused_naming_the_difference()
    {
        foreach (var (spec, difference) in new[]
        {
            (new MapSpec("ethertypes", MapType.Array, 4, 16, 64), "type Array, not Hash"),
            (new MapSpec("ethertypes", MapType.Hash, 4, 16, 64), "key size 4, not 2"),
            (new MapSpec("ethertypes", MapType.Hash, 2, 8, 64), "value size 8, not 16"),
            (new MapSpec("ethertypes", MapType.Hash, 2, 16, 32), "max_entries 32, not 64"),
            (new MapSpec("ethertypes", MapType.Hash, 2, 16, 64, MapFlags.NoPrealloc), "flags 0x1, not 0x0"),
        })
        {
            using var given = BpfMap.Create(spec);
            var e = Assert.Throws<ObjectFormatException>(() =>
                BpfObject.Load(Stage("counter.o"), new LoadOptions { ReuseMaps = new Dictionary<string, BpfMap> { ["ethertypes"] = given } }));
            Assert.Equal($"section .maps: map 'ethertypes' cannot reuse map 'ethertypes': it has {difference} (libbpf: parameter mismatch)", e.Message);
        }
    }

    [Fact]
    public void Globals_are_written_by_name_and_refused_when_they_cannot_be()
    {
        using var filter = BpfObject.Load(Stage("filter.o"));
        filter.WriteGlobal("chain_index", 7);
        Assert.Equal(BitConverter.GetBytes(7u), filter.Maps["filter.bss"].Lookup(new byte[4]));
        Assert.Equal("filter has no global variable 'nope'", Assert.Throws<BpfException>(() => filter.WriteGlobal("nope", 1)).Message);
        Assert.Equal("4294967296 does not fit global variable 'blocked_port' (4 bytes)",
            Assert.Throws<BpfException>(() => filter.WriteGlobal("blocked_port", 1UL << 32)).Message);
        using var globals = BpfObject.Load(Path.Combine(Support.Requirements.FixturesDirectory, "tailcalls", "globals.o"));
        Assert.Equal("global variable 'scale' is in .rodata, which programs only read: its value is fixed when the object loads",
            Assert.Throws<BpfException>(() => globals.WriteGlobal("scale", 1)).Message);
    }

    [Fact]
    public void A_chain_puts_each_stage_in_its_slot_and_tells_it_its_index()
    {
        using var chain = ProgramChain.Load([new ChainStage(Stage("counter.o"), "count"), new ChainStage(Stage("filter.o"), "filter"),
            new ChainStage(Stage("rewriter.o"), "rewrite")]);
        var slots = chain.SharedMaps["chain_progs"].AsProgramArray();
        Assert.Equal(chain.Programs, Enumerable.Range(0, 3).Select(i => slots[i]));
        Assert.Null(slots[3]);
        for (var i = 0; i < 3; i++)
            Assert.Equal(BitConverter.GetBytes((uint)i), chain.Objects[i].Maps.Single(m => m.Key.EndsWith(".bss", StringComparison.Ordinal)).Value.Lookup(new byte[4]));
        Assert.Equal("count", chain.Entry.Name);
    }
}
