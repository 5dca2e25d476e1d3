using System.Buffers.Binary;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_get_stackid and bpf_get_stack from raw tracepoint test runs (tests/fixtures/helpers/stacks.c): what
/// holds of any stack (returned as bits) and the kernel's error results in <c>res[]</c>, against Linux 6.18.44 run
/// through bpf() with 8 bytes of ctx_in, as the fixture's header records.</summary>
public class StackHelperTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "helpers", "stacks.o");

    /// <summary>Program, its result, the s64 results it leaves in res[].</summary>
    public static TheoryData<string, uint, long[]> Runs => new()
    {
        { "ids", 7, [-Errno.EINVAL, -Errno.EFAULT, 0, 0] },
        { "stack", 1, [-Errno.EINVAL, -Errno.EFAULT, -Errno.EINVAL, -Errno.EINVAL] },
    };

    static long[] Results(byte[] bss) => Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bss.AsSpan(i * 8))).ToArray();

    [Theory, MemberData(nameof(Runs))]
    public void BpfSharp_gives_the_kernels_answers(string program, uint returns, long[] results)
    {
        foreach (var engine in EngineTheories.All)
        {
            using var obj = BpfObject.Load(Object);
            var run = obj.Programs[program].Run(new RunOptions { Context = new byte[8], Engine = engine });
            Assert.Equal(returns, run.ReturnValue);
            var bss = obj.Maps[obj.Spec.Maps.Single(m => m.Section == ".bss").Name];
            Assert.Equal(results, Results(bss.Lookup(new byte[4])!));
        }
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(Runs))]
    public void The_kernel_answers_the_same(string program, uint returns, long[] results)
    {
        using var k = KernelOracle.Load(Object);
        Assert.Equal((0, returns), k.RunBySyscall(program, new byte[8]));
        Assert.Equal(results, Results(k.ReadGlobals(".bss")));
    }

    [Fact]
    public void A_stack_id_names_the_stack_user_space_reads()
    {
        using var obj = BpfObject.Load(Object);
        obj.Programs["ids"].Run(new RunOptions { Context = new byte[8] });
        var stacks = obj.Maps["stacks"];
        var id = stacks.GetNextKey(null)!;
        Assert.Null(stacks.GetNextKey(id)); // one call site, one stack
        var value = stacks.Lookup(id)!;
        Assert.NotEqual(0UL, BinaryPrimitives.ReadUInt64LittleEndian(value));   // where the program called from
        Assert.All(value[8..], b => Assert.Equal(0, b));                        // the rest zeroed
        Assert.True(stacks.Delete(id));
        Assert.Null(stacks.GetNextKey(null));
    }
}
