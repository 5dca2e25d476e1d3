using System.Runtime.InteropServices;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>A verified program run on a context its host lends (tests/fixtures/testrun/tracepoint.o): the verifier let
/// it read anywhere in a tracepoint record of PERF_MAX_TRACE_SIZE (8192 bytes), so a shorter record gets a
/// bounds-checked run, which stops a read past it instead of reading whatever lies behind.</summary>
public sealed class AttachedRunTests : IDisposable
{
    readonly BpfObject obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "testrun", "tracepoint.o"));
    readonly List<nint> records = [];

    static readonly TaskIdentity Task = new(1, 1, 0, 0, "test");

    /// <summary>A zeroed record of <paramref name="length"/> bytes holding 0x2a at 8 (sys_enter's id) and, when it is
    /// long enough, 0x7e57 in its last word.</summary>
    unsafe AttachedRun Record(int length, ExecutionEngine engine)
    {
        var record = Marshal.AllocHGlobal(length);
        new Span<byte>((void*)record, length).Clear();
        records.Add(record);
        Marshal.WriteInt64(record, 8, 0x2a);
        if (length >= 8192) Marshal.WriteInt32(record, 8188, 0x7e57);
        var region = new MemoryRegion("tracepoint record", (ulong)record, (ulong)length, MemoryAccess.Read);
        return new AttachedRun((ulong)record, [region], Task, "d..3.") { Engine = engine };
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_whole_record_is_read_where_the_verifier_allowed(ExecutionEngine engine)
    {
        Assert.True(obj.Programs["last_word"].IsVerified);
        Assert.Equal(0x7e57ul, obj.Programs["last_word"].RunAttached(Record(8192, engine)));
        Assert.Equal(0x2aul, obj.Programs["syscall_id"].RunAttached(Record(8192, engine)));
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_shorter_record_runs_bounds_checked(ExecutionEngine engine)
    {
        Assert.Equal(0x2aul, obj.Programs["syscall_id"].RunAttached(Record(64, engine)));
        var e = Assert.Throws<MemoryFaultException>(() => obj.Programs["last_word"].RunAttached(Record(64, engine)));
        Assert.Equal(("last_word", 0), (e.Program, e.InstructionIndex));
    }

    public void Dispose()
    {
        obj.Dispose();
        foreach (var record in records) Marshal.FreeHGlobal(record);
    }
}
