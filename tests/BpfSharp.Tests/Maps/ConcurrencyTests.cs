using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>Several threads running programs on the same maps at once, with fixed bounds: no lost updates, no
/// corruption, no crash.</summary>
public class ConcurrencyTests
{
    const int Threads = 4;

    /// <summary>Runs <paramref name="body"/> on <see cref="Threads"/> threads, each with its own invocation in its
    /// own slot, started together.</summary>
    static void OnThreads(IEnumerable<BpfMap> maps, Action<int, Invocation> body)
    {
        using var start = new Barrier(Threads);
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            using var inv = new Invocation(StandardHelpers.Create());
            Prepare(inv, maps, t);
            start.SignalAndWait();
            try { body(t, inv); }
            catch (Exception e) { lock (errors) errors.Add(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.Count > 0) throw new AggregateException(errors);
    }

    static void RunMany(ExecutableProgram program, Invocation inv, int times, ExecutionEngine engine, ulong expected = 1)
    {
        for (var i = 0; i < times; i++)
            if (Engine.Run(program, inv, 0, 0, engine) != expected) throw new InvalidOperationException($"run {i} returned something else");
    }

    public static TheoryData<MapType, ExecutionEngine> CounterMaps => EngineTheories.Cross([MapType.Array, MapType.Hash, MapType.LruHash]);

    public static TheoryData<ExecutionEngine> Engines => EngineTheories.Engines;

    [Theory, MemberData(nameof(CounterMaps))]
    public void Atomic_increments_from_four_threads_are_all_counted(MapType type, ExecutionEngine engine)
    {
        using var map = BpfMap.Create(new MapSpec("counter", type, 4, 8, 4), Threads);
        map.Update(U32(1), U64(0));
        var program = new ExecutableProgram("inc", AtomicIncrement(map, 1));
        OnThreads([map], (_, inv) => RunMany(program, inv, 100_000, engine));
        Assert.Equal(U64(Threads * 100_000UL), map.Lookup(U32(1)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Per_cpu_counters_need_no_atomics(ExecutionEngine engine)
    {
        using var map = BpfMap.Create(new MapSpec("pcpu", MapType.PercpuArray, 4, 8, 1), Threads);
        var increment = new ExecutableProgram("inc", Code(LookupU32(map, 0), Asm.Jump(Opcode.JeqImm, Register.R0, 0, 3),
            Asm.Load(Opcode.LdxDw, Register.R1, Register.R0, 0), Asm.Add64(Register.R1, 1), Asm.Store(Opcode.StxDw, Register.R0, 0, Register.R1),
            Asm.Mov64(Register.R0, 1), Asm.Exit()));
        OnThreads([map], (_, inv) => RunMany(increment, inv, 100_000, engine));
        Assert.Equal(Enumerable.Repeat(100_000UL, Threads), map.AsPerCpuArray<ulong>()[0]);
    }

    [Theory]
    [InlineData(MapType.Hash)]
    [InlineData(MapType.PercpuHash)]
    public void Concurrent_updates_and_deletes_of_distinct_keys_lose_nothing(MapType type)
    {
        const int keysPerThread = 200, rounds = 50;
        using var map = BpfMap.Create(new MapSpec("h", type, 4, 8, Threads * keysPerThread), Threads);
        OnThreads([map], (t, inv) =>
        {
            for (var round = 0; round < rounds; round++)
                for (var k = 0; k < keysPerThread; k++)
                {
                    var key = (uint)(t * keysPerThread + k);
                    var value = round * 1000 + k;
                    // Programs and the host take turns, so both paths race with the other threads.
                    if (((round + k) & 1) == 0) Check(Interpreter.Run(new ExecutableProgram("u", UpdateU32(map, key, value, 0)), inv) == 0);
                    else map.Update(U32(key), type == MapType.PercpuHash ? PerSlot(t, value) : U64((ulong)value));
                    Check(Interpreter.Run(new ExecutableProgram("r", ReadU64(map, key)), inv) == (ulong)value);
                    if (round < rounds - 1 && k % 3 == 0)
                    {
                        Check(map.Delete(U32(key)));
                        Check(Interpreter.Run(new ExecutableProgram("r", ReadU64(map, key)), inv) == 0xdead);
                    }
                }
        });
        Assert.Equal(Threads * keysPerThread, map.Keys.Count());
        foreach (var key in map.Keys)
        {
            var k = (int)(BitConverter.ToUInt32(key) % keysPerThread);
            var slot = (int)(BitConverter.ToUInt32(key) / keysPerThread);
            var value = map.Lookup(key)!;
            Assert.Equal((ulong)((rounds - 1) * 1000 + k), BitConverter.ToUInt64(value, type == MapType.PercpuHash ? slot * 8 : 0));
        }
    }

    [Fact]
    public void An_lru_hash_under_pressure_from_four_threads_stays_consistent()
    {
        using var map = BpfMap.Create(new MapSpec("lru", MapType.LruHash, 4, 8, 64), Threads);
        OnThreads([map], (t, inv) =>
        {
            var random = new Random(t);
            for (var i = 0; i < 20_000; i++)
            {
                var key = (uint)random.Next(1000);
                if (i % 2 == 0) map.Update(U32(key), U64(key * 3UL));
                // An element may be evicted and reused between a program's lookup and its load, as in the kernel's
                // preallocated LRU: the load then sees another key's value, but always a whole one.
                else Check(Interpreter.Run(new ExecutableProgram("r", ReadU64(map, key)), inv) is var v && (v == 0xdead || v % 3 == 0 && v < 3000));
            }
        });
        var keys = map.Keys.ToList();
        Assert.InRange(keys.Count, 1, 64);
        Assert.Equal(keys.Count, keys.Select(k => BitConverter.ToUInt32(k)).Distinct().Count());
        Assert.All(keys, k => Assert.Equal(U64(BitConverter.ToUInt32(k) * 3UL), map.Lookup(k)));
    }

    [Theory, MemberData(nameof(Engines))]
    public void Ring_buffer_producers_on_four_threads_and_one_consumer_lose_and_duplicate_nothing(ExecutionEngine engine)
    {
        const int perThread = 20_000;
        using var map = BpfMap.Create(new MapSpec("rb", MapType.Ringbuf, 0, 0, 1 << 16), Threads);
        var output = Code(Asm.LoadImm64(Register.R0, 0), Asm.Store(Opcode.StxDw, Register.R10, -8, Register.R1),
            LoadMap(Register.R1, map), Asm.Mov64(Register.R2, Register.R10), Asm.Add64(Register.R2, -8), Asm.Mov64(Register.R3, 8),
            Asm.Mov64(Register.R4, 0), Asm.CallHelper((int)HelperId.RingbufOutput), Asm.Exit());
        var program = new ExecutableProgram("out", output);
        var seen = new List<ulong>();
        var done = 0;
        var consumer = new Thread(() =>
        {
            var reader = map.AsRingBuffer();
            while (Volatile.Read(ref done) == 0 || reader.AvailableData > 0)
                reader.Poll(r => seen.Add(BitConverter.ToUInt64(r)), TimeSpan.FromMilliseconds(10));
        });
        consumer.Start();
        OnThreads([map], (t, inv) =>
        {
            for (var i = 0; i < perThread; i++)
                while (Engine.Run(program, inv, (ulong)t << 32 | (uint)i, 0, engine) != 0) Thread.Yield(); // -EAGAIN: full, retry
        });
        Volatile.Write(ref done, 1);
        consumer.Join();
        Assert.Equal(Threads * perThread, seen.Count);
        for (var t = 0; t < Threads; t++)
            Assert.Equal(Enumerable.Range(0, perThread).Select(i => (ulong)t << 32 | (uint)i), seen.Where(v => v >> 32 == (ulong)t));
    }

    /// <summary>A host value for a per-CPU map: <paramref name="value"/> in the thread's slot, as the program path
    /// leaves it (0 elsewhere for a new element).</summary>
    static byte[] PerSlot(int slot, long value)
    {
        var buffer = new byte[Threads * 8];
        BitConverter.GetBytes(value).CopyTo(buffer, slot * 8);
        return buffer;
    }

    static void Check(bool condition)
    {
        if (!condition) throw new InvalidOperationException("a concurrent operation saw a wrong value");
    }
}
