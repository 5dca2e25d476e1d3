using BpfSharp.Execution;

namespace BpfSharp.Tests.Execution;

public class HelperTableTests
{
    static readonly HelperFunction Seven = (_, _, _, _, _, _) => 7;

    [Fact]
    public void A_large_id_costs_no_array_spanning_it()
    {
        // libbpf's CO-RE poison call is helper 0xbad2310 (195896080); every loaded object registers it. An array
        // indexed up to it would be 1.5 GB of references per object.
        var table = new HelperTable();
        var before = GC.GetAllocatedBytesForCurrentThread();
        table.Register(0xbad2310, "bpf_core_poison", Seven);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 10);
        Assert.Equal(7UL, table.Find(0xbad2310)!(null!, 0, 0, 0, 0, 0));
        Assert.Null(table.Find(0xbad2311));
        Assert.Null(table.Find(-1));
        Assert.Null(table.Find(long.MaxValue));
        Assert.Equal("bpf_core_poison", table.NameOf(0xbad2310));
    }

    [Fact]
    public void Kernel_ids_are_found_by_index()
    {
        var table = new HelperTable();
        table.Register(1, "bpf_map_lookup_elem", Seven);
        table.Register(300, "past_the_first_block", Seven);
        Assert.NotNull(table.Find(1));
        Assert.NotNull(table.Find(300));
        Assert.Null(table.Find(2));
        Assert.Equal([1, 300], table.Ids);
    }
}
