using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Helpers;

/// <summary>The host's side of bpf_timer (tests/fixtures/helpers/timer.c): the clock moves only when the host says so.
/// arm_array arms key 2 of 'timers' to fire in 1 ms, and its callback re-arms it for 1 ms more until it ran 3 times;
/// the kernel's end state (recorded in the timer scenario) is 3 runs, key 2, map 1, -EDEADLK from its own cancel.</summary>
public class TimerHelperTests
{
    static string Object => Path.Combine(Requirements.FixturesDirectory, "helpers", "timer.o");

    static readonly byte[] Packet = new byte[64];

    static (ulong Fired, uint Key, uint Map, long Cancel) Element(BpfObject obj, uint key)
    {
        var value = obj.Maps["timers"].Lookup(BitConverter.GetBytes(key))!;
        return (BinaryPrimitives.ReadUInt64LittleEndian(value), BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(12)), BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(16)));
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_test_run_that_advances_the_clock_runs_the_callbacks_that_fall_due(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        obj.Programs["arm_array"].Run(new RunOptions { Data = Packet, Engine = engine, AdvanceTimers = 700_000_000 });
        Assert.Equal((3UL, 2U, 1U, -35L), Element(obj, 2));
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Nothing_fires_until_the_host_advances_and_then_only_what_is_due(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Object);
        obj.Programs["arm_array"].Run(new RunOptions { Data = Packet, Engine = engine });
        Assert.Equal(0UL, Element(obj, 2).Fired);
        Assert.Equal(0, obj.AdvanceTimers(999_999));
        Assert.Equal(1, obj.AdvanceTimers(1));
        Assert.Equal(1UL, Element(obj, 2).Fired);
        Assert.Equal(2, obj.AdvanceTimers(10_000_000));
        Assert.Equal(3UL, Element(obj, 2).Fired);
        Assert.Equal(0, obj.AdvanceTimers(10_000_000));
    }

    [Fact]
    public void Disposing_the_object_frees_its_armed_timers()
    {
        var obj = BpfObject.Load(Object);
        obj.Programs["arm_hashed"].Run(new RunOptions { Data = Packet });
        obj.Dispose();
        Assert.Throws<ObjectDisposedException>(() => obj.AdvanceTimers(1_000_000_000));
    }
}
