using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Tests.Support;
using static BpfSharp.Isa.Register;
using static BpfSharp.Tests.Maps.MapPrograms;
using static BpfSharp.Tests.Maps.Outcome;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_PERF_EVENT_ARRAY and bpf_perf_event_output (kernel/trace/bpf_trace.c __bpf_perf_event_output).</summary>
public class PerfEventArrayMapTests
{
    const ulong CurrentCpu = 0xffff_ffff;

    static BpfMap Create(uint entries = 4, int slots = 4) => BpfMap.Create(new MapSpec("perf", MapType.PerfEventArray, 4, 4, entries), slots);

    /// <summary>bpf_perf_event_output(ctx, map, flags, &amp;u64 a on the stack, size).</summary>
    static Instruction[] Output(BpfMap map, ulong flags, long a, int size = 8) => Code(
        U64ValueIn(R4, a), LoadMap(R2, map), Asm.LoadImm64(R3, flags), Asm.Mov64(R5, size),
        Asm.CallHelper((int)HelperId.PerfEventOutput), Asm.Exit());

    [Fact]
    public void Without_a_reader_every_index_is_empty()
    {
        using var map = Create();
        Assert.Equal(Err(2), Run(Output(map, CurrentCpu, 1), map)); // -ENOENT
    }

    [Fact]
    public void Samples_go_to_the_writers_slot_with_current_cpu()
    {
        using var map = Create();
        using var reader = map.AsPerfEventArray().Open();
        Assert.Equal(0UL, Run(Output(map, CurrentCpu, 11), map, slot: 0));
        Assert.Equal(0UL, Run(Output(map, CurrentCpu, 33), map, slot: 3));
        Assert.Equal(0UL, Run(Output(map, 3, 34), map, slot: 3));
        var samples = reader.ReadAll();
        Assert.Equal([(0, 11UL), (3, 33UL), (3, 34UL)], samples.Select(s => (s.Index, BitConverter.ToUInt64(s.Data))));
    }

    [Fact]
    public async Task An_async_reader_waits_for_samples_until_disposed()
    {
        using var map = Create();
        var reader = map.AsPerfEventArray().Open();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var samples = reader.ReadAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = samples.MoveNextAsync().AsTask();
        await Task.Delay(50, timeout.Token);
        Assert.False(first.IsCompleted);
        Assert.Equal(0UL, Run(Output(map, CurrentCpu, 5), map, slot: 2));
        Assert.True(await first);
        Assert.Equal((2, 5UL), (samples.Current.Index, BitConverter.ToUInt64(samples.Current.Data)));
        var second = samples.MoveNextAsync().AsTask();
        reader.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await second);
    }

    [Fact]
    public void Index_errors_are_the_kernels()
    {
        using var map = Create(entries: 4, slots: 8);
        using var reader = map.AsPerfEventArray().Open();
        Assert.Equal(Err(7), Run(Output(map, 4, 1), map));                 // -E2BIG: index >= max_entries
        Assert.Equal(Err(7), Run(Output(map, CurrentCpu, 1), map, slot: 5)); // the current slot is past the end too
        Assert.Equal(Err(95), Run(Output(map, 1, 1), map, slot: 0));        // -EOPNOTSUPP: event->oncpu != cpu
        Assert.Equal(Err(22), Run(Output(map, 1UL << 32, 1), map));          // -EINVAL: flags beyond the index
    }

    [Fact]
    public void Samples_are_padded_as_raw_perf_samples()
    {
        using var map = Create();
        using var reader = map.AsPerfEventArray().Open();
        Run(Output(map, CurrentCpu, 0x0504030201, size: 5), map);
        Run(Output(map, CurrentCpu, 7, size: 4), map);
        var samples = reader.ReadAll();
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0 }, samples[0].Data); // 4 + 12 is a multiple of 8
        Assert.Equal(4, samples[1].Data.Length);
    }

    [Fact]
    public void A_full_buffer_loses_samples_and_counts_them()
    {
        using var map = Create();
        using var reader = map.AsPerfEventArray().Open(pageCount: 1); // 4096 bytes; a 8-byte sample takes 24
        var results = Enumerable.Range(0, 200).Select(i => Run(Output(map, CurrentCpu, i), map)).ToList();
        var written = results.Count(r => r == 0);
        Assert.Equal(4096 / 24, written);
        Assert.All(results.Where(r => r != 0), r => Assert.Equal(Err(28), r)); // -ENOSPC
        var lost = new List<(int Index, long Count)>();
        Assert.Equal(written, reader.Poll(_ => { }, (index, count) => lost.Add((index, count))));
        Assert.Equal([(0, 200L - written)], lost);
        Assert.Equal(200L - written, reader.LostSamples);
    }

    [Fact]
    public void Closing_the_reader_empties_the_indices()
    {
        using var map = Create();
        var reader = map.AsPerfEventArray().Open();
        reader.Dispose();
        Assert.Equal(Err(2), Run(Output(map, CurrentCpu, 1), map));
        Assert.Equal("ENOTSUPP", Errno(() => map.Lookup(U32(0))));
        Assert.False(map.Delete(U32(0)));
        Assert.Equal("E2BIG", Errno(() => map.Delete(U32(4))));
    }

    [FactRequires(Requirement.Kernel)]
    public void Host_operations_answer_as_the_kernel()
    {
        var (kernel, error) = KernelMap.Create("perf_event_array", 4, 4, 4);
        Assert.Null(error);
        using var _ = kernel;
        using var ours = Create();
        Assert.Equal(kernel!.Lookup(U32(0)).Error, Of(() => ours.Lookup(U32(0))));
        Assert.Equal(kernel.Delete(U32(0)), Of(() => Assert.False(ours.Delete(U32(0)))) ?? "ENOENT");
        Assert.Equal(kernel.Delete(U32(9)), Of(() => ours.Delete(U32(9))));
        Assert.Equal(kernel.Keys(), ours.Keys.ToList());
    }
}
