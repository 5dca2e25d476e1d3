using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Kernel.ScenarioDsl;

namespace BpfSharp.Tests.Kernel;

/// <summary>One fixture per map kind used from a program (tests/fixtures/maps): return value, helper results
/// (0 or -errno, kept in .bss <c>res[]</c> as s64) and final contents.</summary>
public partial class KernelFixtureTests
{
    public static readonly KernelScenario ArrayMap = Scenario("maps/array.o",
        "array: elements exist and start zeroed; out-of-range keys E2BIG, NOEXIST EEXIST, delete EINVAL",
        Run("array_ops", 5),
        Dump("arr", Entry(U32(0), U64(5)), Entry(U32(1), U64(0x1111)), Entry(U32(2), U64(0x2222)), Entry(U32(3), U64(0))),
        Dump(".bss", Entry(U32(0), S64(0, -7, -17, 0, -22, 1, 5))));

    [FactRequires(Requirement.Kernel)]
    public void Array_map() => Verify(ArrayMap);

    public static readonly KernelScenario MapStruct = Scenario("maps/map_struct.o",
        "a map's kernel struct read through its pointer: struct bpf_map's type, sizes, max_entries and flags",
        Run("read_structs", 15),
        Dump(".bss", Entry(U32(0), U64(2, 4, 8, 7, 13, 1))));

    [FactRequires(Requirement.Kernel)]
    public void Map_struct_fields() => Verify(MapStruct);

    public static readonly KernelScenario CgroupStorage = Scenario("maps/cgroup_storage.o",
        "cgroup storage, shared and per-CPU: fresh zeroed storage for each test run, shared by its repeats; the maps stay empty",
        Run("count", 1), Run("count", 1), Run("count", 0) with { Repeat = 3 },
        Dump("shared"), DumpPerCpu("per_cpu"));

    [FactRequires(Requirement.Kernel)]
    public void Cgroup_storage() => Verify(CgroupStorage);

    public static readonly KernelScenario Sockmap = Scenario("maps/sockmap.o",
        "sockmap and sockhash: the test run's socket is not one they take (EOPNOTSUPP), so they stay empty: deletes " +
        "EINVAL (sockmap) and ENOENT (sockhash), lookups NULL; a dump walks a sockmap's indexes, each empty (ENOENT), " +
        "and finds no key in a sockhash",
        Run("mutate", 0), Dump(".bss", Entry(U32(0), S64(-95, -95, -22, -2, -22, -95))),
        Run("lookup", 3), Dump("sockmap", Entry(U32(0), NoEntry), Entry(U32(1), NoEntry)), Dump("sockhash"));

    const string NoEntry = "error: No such file or directory";

    [FactRequires(Requirement.Kernel)]
    public void Sockmap_and_sockhash_stay_empty_without_a_socket_they_take() => Verify(Sockmap);

    public static readonly KernelScenario RedirectMaps = Scenario("maps/redirect_maps.o",
        "bpf_redirect_map through a devmap, devmap-hash, cpumap and xskmap: XDP_REDIRECT for a filled entry, the flags' " +
        "miss action for an empty one, XDP_ABORTED for other flags, broadcast without an entry; user space fills " +
        "devices by ifindex (0 empties a devmap slot, not a devmap-hash key) and CPU queues by size (at most 16384), " +
        "cannot fill AF_XDP sockets without one, nor read them back",
        Update("devs", U32(0), U32(1)), Update("devhash", U32(7), U32(1, 0)), Update("cpus", U32(0), U32(64, 0)),
        Update("devs", U32(4), U32(1), "E2BIG"), Update("devs", U32(2), U32(0)), Update("devhash", U32(8), U32(0, 0), "EINVAL"),
        Update("cpus", U32(1), U32(20000, 0), "EOVERFLOW"), Update("xsks", U32(0), U32(1000), "EBADF"),
        Run("to_dev", 4), Run("to_missing_dev", 1), Run("bad_flags", 0), Run("to_hash", 4), Run("to_cpu", 4),
        Run("to_missing_cpu", 2), Run("to_xsk", 2), Run("broadcast", 4), Run("read_dev", 1), Run("xsk_lookup", 3),
        Dump("devs", Entry(U32(0), U32(1)), Entry(U32(1), NoEntry), Entry(U32(2), NoEntry), Entry(U32(3), NoEntry)),
        Dump("devhash", Entry(U32(7), U32(1, 0))),
        Dump("cpus", Entry(U32(0), U32(64, 0)), Entry(U32(1), NoEntry)),
        Dump("xsks", Entry(U32(0), NotSupported), Entry(U32(1), NotSupported)));

    const string NotSupported = "error: Operation not supported";

    [FactRequires(Requirement.Kernel)]
    public void Redirect_maps_send_xdp_packets_to_their_entries() => Verify(RedirectMaps);

    public static readonly KernelScenario HashMap = Scenario("maps/hash.o",
        "hash: NOEXIST/EXIST flags, E2BIG when full, ENOENT deleting a missing key, writes through the lookup pointer",
        Run("hash_ops", 15),
        Dump("h", Entry(U32(1), U64(15)), Entry(U32(3), U64(30))),
        Dump(".bss", Entry(U32(0), S64(0, -17, -2, 0, -7, -2, 15, 0, 0))));

    [FactRequires(Requirement.Kernel)]
    public void Hash_map() => Verify(HashMap);

    public static readonly KernelScenario PercpuArray = Scenario("maps/percpu_array.o",
        "percpu_array: the program sees and updates only its CPU's values",
        Run("pcpu_array_ops", 7),
        DumpPerCpu("pa", Entry(U32(0), U64(7)), Entry(U32(1), U64(0x99))),
        Dump(".bss", Entry(U32(0), S64(7, 0, -7))));

    [FactRequires(Requirement.Kernel)]
    public void Percpu_array_map() => Verify(PercpuArray);

    public static readonly KernelScenario PercpuHash = Scenario("maps/percpu_hash.o",
        "percpu_hash: a new element holds the value on this CPU and zeroes elsewhere",
        Run("pcpu_hash_ops", 51),
        DumpPerCpu("ph", Entry(U32(5), U64(51))),
        Dump(".bss", Entry(U32(0), S64(0, -17, 51, 0, -2))));

    [FactRequires(Requirement.Kernel)]
    public void Percpu_hash_map() => Verify(PercpuHash);

    public static readonly KernelScenario[] LruHash =
    [
        Scenario("maps/lru_hash.o", "lru_hash within max_entries behaves like a hash",
            Run("lru_ops", 0x22),
            Dump("lru", Entry(U32(1), U64(0x11)), Entry(U32(2), U64(0x22))),
            Dump(".bss", Entry(U32(0), S64(0, 0, -17, 0x22, 0)))),
        Variant("maps/lru_hash.o", "overfill", "4 * max_entries new keys: every update succeeds (evicting), the last key is present",
            Run("overfill", 0x10001)),
    ];

    [FactRequires(Requirement.Kernel)]
    public void Lru_hash_map() => Verify(LruHash[0]);

    [FactRequires(Requirement.Kernel)]
    public void An_lru_hash_evicts_instead_of_failing_when_full() => Verify(LruHash[1]);

    public static readonly KernelScenario LruPercpuHash = Scenario("maps/lru_percpu_hash.o",
        "lru_percpu_hash within max_entries: per-CPU values, ENOENT deleting a missing key",
        Run("lru_pcpu_ops", 9),
        DumpPerCpu("lp", Entry(U32(7), U64(9)), Entry(U32(8), U64(4))),
        Dump(".bss", Entry(U32(0), S64(0, 0, 9, -2))));

    [FactRequires(Requirement.Kernel)]
    public void Lru_percpu_hash_map() => Verify(LruPercpuHash);

    public static readonly KernelScenario ProgArray = Scenario("maps/prog_array.o",
        "prog_array: a tail call with an index computed at run time (skb->len / 32 = 2)",
        Slot("progs", 1, "ret_one"), Slot("progs", 2, "ret_two"),
        Run("dispatch", 2), Run("ret_one", 1),
        Dump("progs", Holds(U32(1), "ret_one"), Holds(U32(2), "ret_two")));

    [FactRequires(Requirement.Kernel)]
    public void Prog_array_map() => Verify(ProgArray);

    public static readonly KernelScenario Ringbuf = Scenario("maps/ringbuf.o",
        "ringbuf: 8-byte header + size rounded to 8 per record (discarded ones too); a reservation bigger than the ring is NULL",
        Run("produce", 56),
        Dump(".bss", Entry(U32(0), S64(0, 1, 1, 56, 56, 0, 4096))));

    [FactRequires(Requirement.Kernel)]
    public void Ringbuf_map() => Verify(Ringbuf);

    public static readonly KernelScenario PerfEventArray = Scenario("maps/perf_event_array.o",
        "perf_event_array with no perf events opened: ENOENT for an empty slot, E2BIG past the end, EINVAL for unknown flags",
        Run("emit", 2),
        Dump(".bss", Entry(U32(0), S64(-2, -2, -7, -22))));

    [FactRequires(Requirement.Kernel)]
    public void Perf_event_array_map() => Verify(PerfEventArray);

    public static readonly KernelScenario QueueMap = Scenario("maps/queue.o",
        "queue: FIFO, E2BIG when full, BPF_EXIST drops the oldest",
        Run("fifo", 2),
        Dump(".bss", Entry(U32(0), S64(0, 0, 0, -7, 0, 2, 2, 0))),
        Drain("q", U32(3), U32(4)));

    [FactRequires(Requirement.Kernel)]
    public void Queue_map() => Verify(QueueMap);

    public static readonly KernelScenario StackMap = Scenario("maps/stack.o",
        "stack: LIFO, E2BIG when full, BPF_EXIST drops the oldest (bottom)",
        Run("lifo", 4),
        Dump(".bss", Entry(U32(0), S64(0, 0, 0, -7, 0, 4, 4, 0))),
        Drain("st", U32(3), U32(2)));

    [FactRequires(Requirement.Kernel)]
    public void Stack_map() => Verify(StackMap);

    public static readonly KernelScenario LpmTrie = Scenario("maps/lpm_trie.o",
        "lpm_trie: longest prefix wins, /0 is the default, prefixlen 33 is EINVAL, delete falls back to the shorter prefix",
        Run("lpm_ops", 0x4123),
        Dump(".bss", Entry(U32(0), S64(0, -22, 3, 2, 1, 4, 0, 1))),
        Dump("trie",
            Entry(Bytes(0, 0, 0, 0, 0, 0, 0, 0), U32(4)),
            Entry(Bytes(8, 0, 0, 0, 10, 0, 0, 0), U32(1)),
            Entry(Bytes(24, 0, 0, 0, 10, 1, 2, 0), U32(3))));

    [FactRequires(Requirement.Kernel)]
    public void Lpm_trie_map() => Verify(LpmTrie);

    public static readonly KernelScenario BloomFilter = Scenario("maps/bloom_filter.o",
        "bloom_filter (zero seed): pushed values peek 0, absent ones ENOENT, flags other than BPF_ANY EINVAL",
        Run("bloom_ops", 3),
        Dump(".bss", Entry(U32(0), S64(0, 0, 0, -22, 0, 0, -2, -2))));

    [FactRequires(Requirement.Kernel)]
    public void Bloom_filter_map() => Verify(BloomFilter);

    public static readonly KernelScenario ArrayOfMaps = Scenario("maps/array_of_maps.o",
        "array_of_maps initialised in the object; lookups through the outer map reach the inner maps",
        Run("aom_ops", 0x12),
        Dump("inner_a", Entry(U32(0), U32(1))), Dump("inner_b", Entry(U32(0), U32(2))),
        Dump("outer", Holds(U32(0), "inner_a"), Holds(U32(1), "inner_b")));

    [FactRequires(Requirement.Kernel)]
    public void Array_of_maps() => Verify(ArrayOfMaps);

    public static readonly KernelScenario HashOfMaps = Scenario("maps/hash_of_maps.o",
        "hash_of_maps initialised in the object (the .values index is the key); updates through the inner maps",
        Run("hom_ops", 0x21),
        Dump("inner_x", Entry(U32(100), U32(3))), Dump("inner_y", Entry(U32(100), U32(7))),
        Dump("outer", Holds(U32(3), "inner_x"), Holds(U32(7), "inner_y")));

    [FactRequires(Requirement.Kernel)]
    public void Hash_of_maps() => Verify(HashOfMaps);
}
