using BpfSharp.Abi;
using System.Net;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c): longest-prefix match, exact delete, postorder iteration.</summary>
public class LpmTrieMapTests
{
    static BpfMap Create(uint entries = 16) =>
        BpfMap.Create(new MapSpec("routes", MapType.LpmTrie, 8, 4, entries, MapFlags.NoPrealloc), 2);

    static byte[] Key(int length, params byte[] data) => [.. U32((uint)length), .. data];

    static readonly (int Length, byte[] Data)[] Prefixes =
    [
        (8, [10, 0, 0, 0]), (16, [10, 1, 0, 0]), (24, [10, 1, 2, 0]), (16, [10, 2, 0, 0]),
        (8, [192, 0, 0, 0]), (0, [0, 0, 0, 0]), (24, [10, 2, 5, 0]),
    ];

    static void Fill(BpfMap map)
    {
        foreach (var (length, data) in Prefixes) map.Update(Key(length, data), U32((uint)length));
    }

    [Fact]
    public void A_lookup_finds_the_longest_matching_prefix()
    {
        using var map = Create();
        var trie = map.AsLpmTrie<uint>();
        trie.Update(IPNetwork.Parse("10.0.0.0/8"), 8);
        trie.Update(IPNetwork.Parse("10.1.0.0/16"), 16);
        trie.Update([10, 1, 2, 0], 24, 24);
        Assert.Equal(24u, trie.Lookup(IPAddress.Parse("10.1.2.3")));
        Assert.Equal(16u, trie.Lookup(IPAddress.Parse("10.1.9.9")));
        Assert.Equal(8u, trie.Lookup(IPAddress.Parse("10.9.9.9")));
        Assert.Null(trie.Lookup(IPAddress.Parse("11.0.0.0")));
        Assert.Equal(16u, trie.Lookup([10, 1, 2, 3], 20)); // the key's own prefix length bounds the match
        Assert.Null(map.Lookup(Key(40, 10, 1, 2, 3)));        // longer than the data: no match
    }

    [Fact]
    public void Updates_follow_the_kernels_flags_and_limits()
    {
        using var map = Create(entries: 3);
        var trie = map.AsLpmTrie<uint>();
        trie.Update([10, 0, 0, 0], 8, 8);
        trie.Update([10, 1, 0, 0], 16, 16);
        Assert.Equal("EINVAL", Errno(() => trie.Update([10, 1, 0, 0], 33, 1)));            // prefixlen > 32
        trie.Update([10, 1, 2, 0], 24, 24);
        Assert.Equal("ENOSPC", Errno(() => trie.Update([10, 1, 3, 0], 24, 99)));          // trie_check_add_elem
        trie.Update([10, 1, 2, 0], 24, 25);                                                // replacing works when full
        Assert.Equal("EEXIST", Errno(() => trie.Update([10, 1, 2, 0], 24, 1, MapUpdateFlags.NoExist)));
        Assert.Equal("ENOENT", Errno(() => trie.Update([10, 1, 2, 0], 20, 1, MapUpdateFlags.Exist)));
        Assert.Equal("EINVAL", Errno(() => trie.Update([10, 1, 2, 0], 24, 1, (MapUpdateFlags)3)));
        Assert.Equal(25u, trie.Lookup(IPAddress.Parse("10.1.2.3")));
    }

    [Fact]
    public void Delete_needs_the_exact_prefix_but_ignores_bits_past_it()
    {
        using var map = Create();
        var trie = map.AsLpmTrie<uint>();
        trie.Update([10, 0, 0, 0], 8, 8);
        trie.Update([10, 1, 0, 0], 16, 16);
        Assert.False(trie.Delete([10, 0, 0, 0], 12));
        Assert.Equal("EINVAL", Errno(() => trie.Delete([10, 1, 0, 0], 33)));
        Assert.True(trie.Delete([10, 1, 99, 99], 16));
        Assert.False(trie.Delete([10, 1, 0, 0], 16));
        Assert.Equal(8u, trie.Lookup(IPAddress.Parse("10.1.2.3")));
    }

    [Fact]
    public void Iteration_is_postorder_so_more_specific_prefixes_come_first()
    {
        using var map = Create();
        Fill(map);
        var order = map.AsLpmTrie<uint>().Keys.Select(p => $"{string.Join('.', p.Data)}/{p.Length}");
        // Measured on Linux 6.18 with the same inserts (see the kernel test below).
        Assert.Equal(["10.1.2.0/24", "10.1.0.0/16", "10.2.5.0/24", "10.2.0.0/16", "10.0.0.0/8", "192.0.0.0/8", "0.0.0.0/0"], order);
        Assert.Equal(Key(24, 10, 1, 2, 0), map.GetNextKey(Key(20, 1, 2, 3, 4))); // a missing key starts over
    }

    [Fact]
    public void Deleting_keeps_the_trie_consistent()
    {
        using var map = Create();
        Fill(map);
        var trie = map.AsLpmTrie<uint>();
        // The trie: 0/0 → 10/8 → intermediate 10.0/14 → {10.1/16 → 10.1.2/24, 10.2/16 → 10.2.5/24}; 0/0 → 192/8.
        Assert.True(trie.Delete([10, 2, 0, 0], 16));  // one child: it takes the node's place
        Assert.True(trie.Delete([10, 1, 2, 0], 24));  // a leaf under a real node: just removed
        Assert.True(trie.Delete([10, 0, 0, 0], 8));   // one child, the intermediate node
        Assert.Equal(["10.1.0.0/16", "10.2.5.0/24", "192.0.0.0/8", "0.0.0.0/0"],
            trie.Keys.Select(p => $"{string.Join('.', p.Data)}/{p.Length}"));
        Assert.Equal(24u, trie.Lookup(IPAddress.Parse("10.2.5.1")));
        Assert.Equal(0u, trie.Lookup(IPAddress.Parse("10.3.0.1")));
        Assert.True(trie.Delete([10, 1, 0, 0], 16));  // a leaf under an intermediate node: both go, the sibling moves up
        Assert.Equal(["10.2.5.0/24", "192.0.0.0/8", "0.0.0.0/0"], trie.Keys.Select(p => $"{string.Join('.', p.Data)}/{p.Length}"));
        Assert.Equal(24u, trie.Lookup(IPAddress.Parse("10.2.5.1")));
        foreach (var (length, data) in Prefixes) trie.Delete(data, length);
        Assert.Empty(trie.Keys);
        Fill(map); // every value slot came back
    }

    [Fact]
    public void A_program_looks_up_an_address()
    {
        using var map = Create();
        Fill(map);
        var code = Code(
            BpfSharp.Isa.Asm.Store(BpfSharp.Isa.Opcode.StW, BpfSharp.Isa.Register.R10, -8, 32),
            BpfSharp.Isa.Asm.Store(BpfSharp.Isa.Opcode.StW, BpfSharp.Isa.Register.R10, -4, BitConverter.ToInt32([10, 2, 5, 9])),
            LoadMap(BpfSharp.Isa.Register.R1, map),
            BpfSharp.Isa.Asm.Mov64(BpfSharp.Isa.Register.R2, BpfSharp.Isa.Register.R10), BpfSharp.Isa.Asm.Add64(BpfSharp.Isa.Register.R2, -8),
            BpfSharp.Isa.Asm.CallHelper(1),
            BpfSharp.Isa.Asm.Load(BpfSharp.Isa.Opcode.LdxW, BpfSharp.Isa.Register.R0, BpfSharp.Isa.Register.R0, 0),
            BpfSharp.Isa.Asm.Exit());
        Assert.Equal(24UL, Run(code, map));
    }

    [FactRequires(Requirement.Kernel)]
    public void Iteration_order_and_lookups_match_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("lpm_trie", 8, 4, 16, MapFlags.NoPrealloc);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create();
        foreach (var (length, data) in Prefixes)
        {
            Assert.Null(kernel!.Update(Key(length, data), U32((uint)length)));
            ours.Update(Key(length, data), U32((uint)length));
        }
        Assert.Equal(kernel!.Keys(), ours.Keys.ToList());
        foreach (var address in new byte[][] { [10, 1, 2, 3], [10, 2, 9, 9], [10, 2, 5, 5], [192, 1, 1, 1], [8, 8, 8, 8] })
            Assert.Equal(kernel.Lookup(Key(32, address)).Value, ours.Lookup(Key(32, address)));
        Assert.Equal(kernel.Delete(Key(16, 10, 2, 77, 0)), Of(() => ours.Delete(Key(16, 10, 2, 77, 0))));
        Assert.Equal(kernel.Delete(Key(8, 10, 0, 0, 0)), Of(() => ours.Delete(Key(8, 10, 0, 0, 0))));
        Assert.Equal(kernel.Keys(), ours.Keys.ToList());
        Assert.Equal(kernel.Update(Key(24, 10, 1, 2, 77), U32(77)), Of(() => ours.Update(Key(24, 10, 1, 2, 77), U32(77))));
        Assert.Equal(kernel.Keys(), ours.Keys.ToList()); // the stored data keeps the bits past the prefix
    }
}
