using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c): 8-byte headers, records in reservation order, busy and
/// discard bits, wakeup flags, query.</summary>
public class RingBufMapTests
{
    static BpfMap Create(uint size = 4096) => BpfMap.Create(new MapSpec("events", MapType.Ringbuf, 0, 0, size), 2);

    static RingBufMap Ring(BpfMap map) => (RingBufMap)map.Map;

    /// <summary>Reserves 16 bytes, writes two u64s, submits (or discards) with <paramref name="flags"/>; returns 1,
    /// or 0 when the reservation failed.</summary>
    static Instruction[] ReserveAndCommit(BpfMap map, int a, int b, bool discard = false, int flags = 0, int reserveFlags = 0) => Code(
        LoadMap(R1, map), Asm.Mov64(R2, 16), Asm.Mov64(R3, reserveFlags), Asm.CallHelper((int)HelperId.RingbufReserve),
        Asm.Jump(Opcode.JneImm, R0, 0, 1), Asm.Exit(),
        Asm.Store(Opcode.StDw, R0, 0, a), Asm.Store(Opcode.StDw, R0, 8, b),
        Asm.Mov64(R1, R0), Asm.Mov64(R2, flags),
        Asm.CallHelper((int)(discard ? HelperId.RingbufDiscard : HelperId.RingbufSubmit)),
        Asm.Mov64(R0, 1), Asm.Exit());

    /// <summary>bpf_ringbuf_output of <paramref name="size"/> bytes of the stack (the first u64 = <paramref name="a"/>).</summary>
    static Instruction[] Output(BpfMap map, int a, int size = 16, int flags = 0) => Code(
        Asm.Store(Opcode.StDw, R10, -512, a), LoadMap(R1, map), Asm.Mov64(R2, R10), Asm.Add64(R2, -512),
        Asm.Mov64(R3, size), Asm.Mov64(R4, flags), Asm.CallHelper((int)HelperId.RingbufOutput), Asm.Exit());

    static Instruction[] Query(BpfMap map, int flag) =>
        Code(LoadMap(R1, map), Asm.Mov64(R2, flag), Asm.CallHelper((int)HelperId.RingbufQuery), Asm.Exit());

    static ulong[] Read(BpfMap map) => map.AsRingBuffer().ReadAll().Select(r => BitConverter.ToUInt64(r)).ToArray();

    [Fact]
    public void A_reserved_record_reaches_the_reader_after_submit()
    {
        using var map = Create();
        Assert.Equal(1UL, Run(ReserveAndCommit(map, 7, 8), map));
        var records = map.AsRingBuffer().ReadAll();
        Assert.Equal([U64(7).Concat(U64(8)).ToArray()], records);
        Assert.Equal(24UL, map.AsRingBuffer().ConsumerPosition); // 8-byte header + 16 bytes
    }

    [Fact]
    public async Task An_async_reader_waits_for_records_and_reads_them_as_structs()
    {
        using var map = Create();
        Run(ReserveAndCommit(map, 1, 2), map);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var records = map.AsRingBuffer().ReadAsync<(ulong A, ulong B)>(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await records.MoveNextAsync());
        Assert.Equal((1UL, 2UL), records.Current);
        // The ring is empty now: the next record is awaited, and arrives once a program commits it.
        var next = records.MoveNextAsync().AsTask();
        await Task.Delay(50, timeout.Token);
        Assert.False(next.IsCompleted);
        Run(ReserveAndCommit(map, 3, 4), map);
        Assert.True(await next);
        Assert.Equal((3UL, 4UL), records.Current);
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await records.MoveNextAsync());
    }

    [Fact]
    public void Discarded_records_are_skipped_but_consumed()
    {
        using var map = Create();
        Run(ReserveAndCommit(map, 1, 0), map);
        Run(ReserveAndCommit(map, 2, 0, discard: true), map);
        Run(ReserveAndCommit(map, 3, 0), map);
        Assert.Equal([1UL, 3UL], Read(map));
        Assert.Equal(72UL, map.AsRingBuffer().ConsumerPosition);
    }

    [Fact]
    public void Output_copies_a_record_and_rejects_unknown_flags()
    {
        using var map = Create();
        Assert.Equal(0UL, Run(Output(map, 42, flags: 1), map));  // BPF_RB_NO_WAKEUP accepted
        Assert.Equal(0UL, Run(Output(map, 43, flags: 2), map));  // BPF_RB_FORCE_WAKEUP accepted
        Assert.Equal(Err(22), Run(Output(map, 44, flags: 4), map));
        Assert.Equal([42UL, 43UL], Read(map));
    }

    [Fact]
    public void Query_reports_available_data_size_and_positions()
    {
        using var map = Create();
        Run(Output(map, 1, size: 5), map); // 5 + 8 rounded up to 16
        Assert.Equal(16UL, Run(Query(map, 0), map));  // BPF_RB_AVAIL_DATA
        Assert.Equal(4096UL, Run(Query(map, 1), map)); // BPF_RB_RING_SIZE
        Assert.Equal(0UL, Run(Query(map, 2), map));   // BPF_RB_CONS_POS
        Assert.Equal(16UL, Run(Query(map, 3), map));  // BPF_RB_PROD_POS
        Assert.Equal(0UL, Run(Query(map, 9), map));
        Assert.Equal([5], map.AsRingBuffer().ReadAll().Select(r => r.Length));
        Assert.Equal(0UL, Run(Query(map, 0), map));
    }

    [Fact]
    public void Reserve_fails_with_flags_when_too_big_or_when_the_ring_is_full()
    {
        using var map = Create();
        Assert.Equal(0UL, Run(ReserveAndCommit(map, 1, 1, reserveFlags: 1), map));
        Assert.Equal(0UL, Ring(map).Reserve(4096, 0));            // header + 4096 > ring
        for (var i = 0; i < 7; i++) Assert.Equal(0UL, Run(Output(map, i, size: 504), map)); // 512 bytes each
        Assert.Equal(Err(11), Run(Output(map, 9, size: 504), map)); // -EAGAIN: 8 × 512 > 4095
        Assert.Equal(7, map.AsRingBuffer().Consume(_ => { }));
        Assert.Equal(0UL, Run(Output(map, 9, size: 504), map));
    }

    [Fact]
    public void A_record_that_wraps_around_the_end_is_contiguous()
    {
        using var map = Create();
        var ring = Ring(map);
        for (var i = 0; i < 3; i++) Assert.Equal(0, ring.Output(new byte[1000], 0)); // 1008 bytes each
        map.AsRingBuffer().Consume(_ => { });
        var sample = ring.Reserve(2000, 0); // starts at 3024, ends past 4096
        Assert.NotEqual(0UL, sample);
        var data = Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray();
        unsafe { data.CopyTo(new Span<byte>((void*)sample, 2000)); }
        ring.Commit(sample, 0, discard: false);
        Assert.Equal([data], map.AsRingBuffer().ReadAll());
    }

    [Fact]
    public void A_busy_record_holds_back_the_records_after_it()
    {
        using var map = Create();
        var ring = Ring(map);
        var first = ring.Reserve(8, 0);
        var second = ring.Reserve(8, 0);
        ring.Commit(second, 0, discard: false);
        Assert.Empty(map.AsRingBuffer().ReadAll());
        ring.Commit(first, 0, discard: false);
        Assert.Equal(2, map.AsRingBuffer().ReadAll().Count);
    }

    [Fact]
    public void Wakeups_follow_the_flags()
    {
        using var map = Create();
        var ring = Ring(map);
        ring.Commit(ring.Reserve(8, 0), 1, false);   // BPF_RB_NO_WAKEUP
        Assert.Equal(0, ring.Wakeups);
        ring.Commit(ring.Reserve(8, 0), 0, false);   // the consumer waits at the first record, not this one
        Assert.Equal(0, ring.Wakeups);
        ring.Commit(ring.Reserve(8, 0), 2, false);   // BPF_RB_FORCE_WAKEUP
        Assert.Equal(1, ring.Wakeups);
        map.AsRingBuffer().Consume(_ => { });
        ring.Commit(ring.Reserve(8, 0), 0, false);   // the consumer is at this record
        Assert.Equal(2, ring.Wakeups);
    }

    [Fact]
    public void Poll_waits_for_a_producer()
    {
        using var map = Create();
        var producer = new Thread(() =>
        {
            Thread.Sleep(50);
            Run(Output(map, 5), map);
        });
        producer.Start();
        var seen = new List<ulong>();
        var count = map.AsRingBuffer().Poll(r => seen.Add(BitConverter.ToUInt64(r)), TimeSpan.FromSeconds(10));
        producer.Join();
        count += map.AsRingBuffer().Consume(r => seen.Add(BitConverter.ToUInt64(r)));
        Assert.Equal(1, count);
        Assert.Equal([5UL], seen);
    }

    [Fact]
    public void Submitting_something_that_is_not_a_reserved_record_stops_the_program()
    {
        using var map = Create();
        var code = Code(Asm.Mov64(R1, R10), Asm.Add64(R1, -64), Asm.Mov64(R2, 0), Asm.CallHelper((int)HelperId.RingbufSubmit), Asm.Exit());
        var e = Assert.Throws<BpfRuntimeException>(() => Run(code, map));
        Assert.Contains("is not a record reserved by bpf_ringbuf_reserve", e.Message);
        Assert.Equal(1UL, Run(ReserveAndCommit(map, 1, 2), map)); // the ring is unharmed
    }

    [Fact]
    public void The_host_cannot_read_or_write_it_as_a_map()
    {
        using var map = Create();
        Assert.Equal("ENOTSUPP", Errno(() => map.Lookup([])));
        Assert.Equal("ENOTSUPP", Errno(() => map.GetNextKey(null)));
        Assert.Equal("ENOTSUPP", Errno(() => map.Update([], [])));
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_refuses_the_same_host_operations()
    {
        var (kernel, error) = KernelMap.Create("ringbuf", 0, 0, 4096);
        Assert.Null(error);
        using var _ = kernel;
        Assert.Equal("ENOTSUPP", kernel!.Lookup([]).Error);
        Assert.Equal("ENOTSUPP", kernel.GetNext(null).Error);
    }
}
