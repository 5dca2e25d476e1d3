using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Execution;

/// <summary>Raw tracepoint test runs (tests/fixtures/testrun/raw_tp.o) as Linux 6.18's <c>bpf_prog_test_run_raw_tp</c>
/// takes them: the arguments in ctx_in, at most 96 bytes and at least as far as the program reads (sum_two: 16,
/// last_argument: 96); no data_in, one run. BpfSharp's repeat 1 is the kernel's 0, the only one it takes.</summary>
public class RawTracepointTestRunTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "testrun", "raw_tp.o");

    /// <summary>u64 arguments 3, 4, 5... as ctx_in.</summary>
    static byte[] Arguments(int count)
    {
        var bytes = new byte[count * 8];
        for (var i = 0; i < count; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), (ulong)(3 + i));
        return bytes;
    }

    /// <summary>Program, arguments in ctx_in (-1: none), data_in bytes, repeat; r0 or the negated errno.</summary>
    public static TheoryData<string, int, int, int, long> Runs => new()
    {
        { "sum_two", 2, 0, 1, 7 },
        { "sum_two", 12, 0, 1, 7 },
        { "sum_two", 1, 0, 1, -Errno.EINVAL },
        { "sum_two", 13, 0, 1, -Errno.EINVAL },
        { "last_argument", 12, 0, 1, 14 },
        { "last_argument", 11, 0, 1, -Errno.EINVAL },
        { "constant", -1, 0, 1, 7 },
        { "constant", -1, 64, 1, -Errno.EINVAL },
        { "constant", -1, 0, 2, -Errno.EINVAL },
    };

    [Theory, MemberData(nameof(Runs))]
    public void BpfSharp_runs_or_refuses_like_the_kernel(string program, int arguments, int dataBytes, int repeat, long expected)
    {
        using var obj = BpfObject.Load(Object);
        foreach (var engine in EngineTheories.All)
        {
            var options = new RunOptions
            {
                Context = arguments < 0 ? null : Arguments(arguments), Data = dataBytes == 0 ? null : new byte[dataBytes],
                Repeat = repeat, Engine = engine,
            };
            if (expected < 0)
                Assert.Equal(expected, Assert.Throws<InvalidRunException>(() => obj.Programs[program].Run(options)).Errno);
            else
                Assert.Equal((uint)expected, obj.Programs[program].Run(options).ReturnValue);
        }
    }

    [TheoryRequires(Requirement.Kernel), MemberData(nameof(Runs))]
    public void The_kernel_answers_the_same(string program, int arguments, int dataBytes, int repeat, long expected)
    {
        using var k = KernelOracle.Load(Object);
        var (errno, r0) = k.RunBySyscall(program, arguments < 0 ? null : Arguments(arguments), dataBytes == 0 ? null : new byte[dataBytes],
            (uint)(repeat - 1));
        Assert.Equal(expected, errno != 0 ? -errno : r0);
    }
}
