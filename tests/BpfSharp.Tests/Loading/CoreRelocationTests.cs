using System.Runtime.InteropServices;
using BpfSharp.Btf;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>CO-RE against the BTF BpfSharp ships (hosts without /sys/kernel/btf/vmlinux): the same answers the kernel's
/// own BTF gave for tests/fixtures/core/core.c's skb_probe (recorded in kernel-expectations.json).</summary>
public class CoreRelocationTests
{
    static string CoreObject => Path.Combine(Requirements.FixturesDirectory, "core", "core.o");

    [Theory]
    [InlineData(Architecture.X64)]
    [InlineData(Architecture.Arm64)]
    public void The_shipped_BTF_resolves_the_skb_probe_like_the_kernels(Architecture architecture)
    {
        var spec = ObjectSpec.Read(CoreObject);
        using var obj = BpfObject.Load(spec, new LoadOptions { TargetBtf = TargetBtf.Shipped(architecture) });
        var result = obj.Programs["skb_probe"].Run(new RunOptions { Data = new byte[64] });
        Assert.Equal(64u, result.ReturnValue);
        var output = obj.Maps.Values.Single(m => m.Name.EndsWith(".bss", StringComparison.Ordinal)).Lookup(new byte[4])!;
        var values = MemoryMarshal.Cast<byte, ulong>(output).ToArray();
        // exists(len), exists(no_such_field), size(len), offset(cb), sizeof(__sk_buff), type exists, no type,
        // BPF_MAP_TYPE_RINGBUF, BLOOM_FILTER exists, made-up enumerator, skb->len
        Assert.Equal(new ulong[] { 1, 0, 4, 48, 192, 1, 0, 27, 1, 0, 64 }, values);
    }

    [Fact]
    public void Flavour_suffixes_are_dropped_when_matching_names()
    {
        Assert.Equal("task_struct", CoreAccess.EssentialName("task_struct___view"));
        Assert.Equal("__sk_buff", CoreAccess.EssentialName("__sk_buff___probe"));
        Assert.Equal("__sk_buff", CoreAccess.EssentialName("__sk_buff"));
    }
}
