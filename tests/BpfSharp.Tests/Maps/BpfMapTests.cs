using BpfSharp.Abi;
using BpfSharp.Execution;
using BpfSharp.Maps;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>The public facade: views, argument checks, access flags, disposal, element iteration.</summary>
public class BpfMapTests
{
    [Fact]
    public void The_wrong_view_is_refused_with_a_clear_message()
    {
        using var map = BpfMap.Create(new MapSpec("counts", MapType.Array, 4, 8, 4));
        var e = Assert.Throws<InvalidOperationException>(() => map.AsHash<uint, ulong>());
        Assert.Equal("map 'counts' is a Array map; AsHash() is for Hash and LruHash maps", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => map.AsArray<uint>());
        Assert.Equal("map 'counts' has 8-byte values; UInt32 is 4 bytes", e.Message);
        Assert.Throws<InvalidOperationException>(() => map.AsRingBuffer());
        Assert.Throws<InvalidOperationException>(() => map.AsProgramArray());
    }

    [Fact]
    public void Errors_name_the_map_the_operation_and_the_errno()
    {
        using var map = BpfMap.Create(new MapSpec("counts", MapType.Array, 4, 8, 4));
        var e = Assert.Throws<MapException>(() => map.AsArray<ulong>().Update(1, 1, MapUpdateFlags.NoExist));
        Assert.Equal("map 'counts': update: key exists (EEXIST)", e.Message);
        Assert.Equal((17, "EEXIST", "counts", "update"), (e.Errno, e.ErrnoName, e.Map, e.Operation));
    }

    [Fact]
    public void The_standard_helpers_include_the_map_helpers_under_their_kernel_ids()
    {
        var table = BpfSharp.Helpers.StandardHelpers.Create();
        foreach (var (id, name) in new[] { (1, "bpf_map_lookup_elem"), (2, "bpf_map_update_elem"), (3, "bpf_map_delete_elem"),
                     (25, "bpf_perf_event_output"), (87, "bpf_map_push_elem"), (88, "bpf_map_pop_elem"), (89, "bpf_map_peek_elem"),
                     (130, "bpf_ringbuf_output"), (131, "bpf_ringbuf_reserve"), (132, "bpf_ringbuf_submit"),
                     (133, "bpf_ringbuf_discard"), (134, "bpf_ringbuf_query"), (195, "bpf_map_lookup_percpu_elem") })
            Assert.Equal(name, table.NameOf(id));
    }

    [Fact]
    public void Keys_and_values_of_the_wrong_size_are_argument_errors()
    {
        using var map = BpfMap.Create(new MapSpec("h", MapType.Hash, 4, 8, 4));
        Assert.Throws<ArgumentException>(() => map.Update(new byte[3], new byte[8]));
        Assert.Throws<ArgumentException>(() => map.Update(new byte[4], new byte[7]));
        Assert.Throws<ArgumentException>(() => map.TryLookup(new byte[4], new byte[4]));
    }

    [Fact]
    public void The_spec_and_properties_are_what_was_asked()
    {
        var spec = new MapSpec("h", MapType.PercpuHash, 4, 12, 9, MapFlags.NoPrealloc);
        using var map = BpfMap.Create(spec, slots: 3);
        Assert.Equal((spec, "h", MapType.PercpuHash, 4u, 12u, 9u, 1u, 3), (map.Spec, map.Name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries, map.Flags, map.Slots));
        Assert.Equal(48, map.HostValueSize);
        Assert.Equal($"PercpuHash 'h' (id {map.Id}, key 4, value 12, max 9)", map.ToString());
    }

    [Fact]
    public void Read_only_and_write_only_maps_refuse_the_other_direction_with_EPERM()
    {
        // Measured on Linux 6.18 through the fd BPF_MAP_CREATE returned (a pinned copy opened later gets its own
        // access mode, so bpftool cannot show it): update EPERM on BPF_F_RDONLY, lookup and get_next_key EPERM on
        // BPF_F_WRONLY.
        using var readOnly = BpfMap.Create(new MapSpec("ro", MapType.Array, 4, 4, 1, MapFlags.ReadOnly));
        Assert.Equal("EPERM", Errno(() => readOnly.Update(U32(0), U32(1))));
        Assert.NotNull(readOnly.Lookup(U32(0)));
        using var writeOnly = BpfMap.Create(new MapSpec("wo", MapType.Array, 4, 4, 1, MapFlags.WriteOnly));
        writeOnly.Update(U32(0), U32(1));
        Assert.Equal("EPERM", Errno(() => writeOnly.Lookup(U32(0))));
        Assert.Equal("EPERM", Errno(() => writeOnly.GetNextKey(null)));
    }

    [Fact]
    public void Programs_see_read_only_values_as_read_only_memory()
    {
        using var map = BpfMap.Create(new MapSpec("rodata", MapType.Array, 4, 8, 1, MapFlags.ReadOnlyProgram));
        map.AsArray<ulong>()[0] = 5;
        Assert.Equal(5UL, Run(ReadU64(map, 0), map));
        Assert.Throws<MemoryFaultException>(() => Run(AtomicIncrement(map, 0), map));
    }

    [Fact]
    public void A_disposed_map_cannot_be_used_and_dispose_is_idempotent()
    {
        var map = BpfMap.Create(new MapSpec("h", MapType.Hash, 4, 8, 4));
        var view = map.AsHash<uint, ulong>();
        map.Dispose();
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => view.Update(1, 1));
        Assert.Throws<ObjectDisposedException>(() => map.Regions);
    }

    [Fact]
    public void Elements_can_be_visited_with_the_value_a_program_would_see()
    {
        using var hash = BpfMap.Create(new MapSpec("h", MapType.PercpuHash, 4, 8, 8), 2);
        hash.AsPerCpuHash<uint, ulong>().Update(1, [10, 11]);
        hash.AsPerCpuHash<uint, ulong>().Update(2, [20, 21]);
        var seen = new Dictionary<uint, ulong>();
        var count = hash.Map.ForEachElement(1, (key, value) =>
        {
            seen[BitConverter.ToUInt32(key)] = Read(value);
            hash.Delete(key); // a callback may delete, as bpf_for_each_map_elem allows
            return true;
        });
        Assert.Equal(2, count);
        Assert.Equal(new Dictionary<uint, ulong> { [1] = 11, [2] = 21 }, seen);
        Assert.Empty(hash.Keys);

        using var array = BpfMap.Create(new MapSpec("a", MapType.Array, 4, 8, 3));
        array.AsArray<ulong>()[1] = 5;
        var values = new List<ulong>();
        Assert.Equal(2, array.Map.ForEachElement(0, (key, value) => { values.Add(Read(value)); return values.Count < 2; }));
        Assert.Equal([0UL, 5UL], values);
        using var queue = BpfMap.Create(new MapSpec("q", MapType.Queue, 0, 8, 3));
        Assert.True(queue.Map.ForEachElement(0, (_, _) => true) < 0);
    }

    static unsafe ulong Read(ulong address) => *(ulong*)address;
}
