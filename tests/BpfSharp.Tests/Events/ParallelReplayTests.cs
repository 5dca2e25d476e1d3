using System.Buffers.Binary;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Tests.Examples;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>A capture replayed on two cores (<see cref="CaptureReplay.Run"/> with jobs 2) against the same capture on
/// one: tests/fixtures/pcap/flows.c counts packets and bytes per flow, totals in a shared array and packets per CPU in
/// a per-CPU array, and records the CPU of each flow.</summary>
public class ParallelReplayTests
{
    static readonly string Flows = Path.Combine(Requirements.FixturesDirectory, "pcap", "flows.o");

    /// <summary>Every example's traffic, then 3000 packets of 240 TCP, UDP and ICMP flows over IPv4 and IPv6
    /// interleaved (several rounds of the replay's hand-over), lengths varying within each flow.</summary>
    static readonly IReadOnlyList<byte[]> Traffic =
    [
        .. ExampleTraffic.Frames("xdp-pipeline"), .. ExampleTraffic.Frames("sockex3"), .. ExampleTraffic.Frames("chain"),
        .. Enumerable.Range(0, 3000).Select(i => (Flow: i % 240, Length: i % 97)).Select(p => (p.Flow % 4) switch
        {
            0 => Packets.TcpV4($"10.1.{p.Flow / 200}.{p.Flow % 200}", "10.9.9.9", (ushort)(1024 + p.Flow), 443, Packets.Ack, p.Length),
            1 => Packets.UdpV4("10.2.0.1", $"10.3.{p.Flow / 200}.{p.Flow % 200}", 5353, (ushort)(2000 + p.Flow), p.Length),
            2 => Packets.TcpV6($"2001:db8::{p.Flow:x}", "2001:db8::9", 40000, (ushort)(80 + p.Flow), Packets.Ack, p.Length),
            _ => Packets.IcmpV4($"10.4.0.{p.Flow % 200}", "10.9.9.9", 8 + p.Length),
        }),
    ];

    [TheoryRequires(Requirement.TwoCpus), MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Two_cores_give_one_core_s_verdicts_counts_and_output_and_each_flow_runs_on_the_CPU_its_hash_picks(ExecutionEngine engine)
    {
        var one = Replay(engine, jobs: 1);
        var two = Replay(engine, jobs: 2);

        // flows.c passes IPv4 TCP and drops the rest.
        static bool Passes(byte[] f) => Network(f) is (0x0800, var ip) && f.Length >= ip + 20 && f[ip + 9] == Packets.Tcp;
        var passed = Traffic.Where(Passes).ToList();
        var dropped = Traffic.Where(f => !Passes(f)).ToList();
        Assert.Equal(
            [new VerdictTally("XDP_PASS", 2, passed.Count, passed.Sum(f => (long)f.Length)), new VerdictTally("XDP_DROP", 1, dropped.Count, dropped.Sum(f => (long)f.Length))],
            one.Summary.Verdicts.OrderBy(v => v.ReturnValue == 1));
        Assert.Equal(one.Summary.Verdicts, two.Summary.Verdicts);
        Assert.Equal((Traffic.Count, Traffic.Sum(f => (long)f.Length), passed.Count, 0L),
            (two.Summary.Packets, two.Summary.Bytes, two.Summary.Written, two.Summary.NotRun));
        Assert.Equal(one.Summary.ProgramsPerPacket, two.Summary.ProgramsPerPacket);
        Assert.Equal(one.Output, two.Output);
        Assert.Equal(passed, CaptureReader.Open(new MemoryStream(two.Output), "out").ReadAll().Select(p => p.Data.ToArray()));

        // The shared array's totals (of the packets flows.c gets a key of), and per flow the packets and bytes
        // (order-independent), as on one core.
        var counted = Traffic.Where(f => KeyOf(f) is not null).ToList();
        Assert.Equal(Traffic.Count - 1, counted.Count); // the xdp-pipeline's frame cut inside its IPv4 header
        Assert.Equal((counted.Count, counted.Sum(f => (long)f.Length)), two.Totals);
        Assert.Equal(one.Totals, two.Totals);
        Assert.Equal(one.Flows.Keys.Order(), two.Flows.Keys.Order());
        foreach (var (key, stats) in two.Flows)
            Assert.Equal((one.Flows[key].Packets, one.Flows[key].Bytes), (stats.Packets, stats.Bytes));

        // Worker w runs as CPU w: each flow on the one its hash picks (its first frame's, as every frame of a flow has
        // the same hash), and the per-CPU array counts each worker's packets in its own slot.
        var expectedCpu = new Dictionary<string, int>();
        foreach (var frame in counted) expectedCpu.TryAdd(KeyOf(frame)!, FlowHash.Worker(frame, 2));
        foreach (var (key, stats) in two.Flows)
        {
            Assert.Equal(expectedCpu[key], (int)stats.Cpu);
            Assert.Equal(1UL << expectedCpu[key], stats.CpusSeen);
        }
        var perWorker = counted.GroupBy(f => FlowHash.Worker(f, 2)).ToDictionary(g => g.Key, g => (ulong)g.Count());
        Assert.True(perWorker[0] > 0 && perWorker[1] > 0);
        Assert.Equal([perWorker[0], perWorker[1], .. Enumerable.Repeat(0UL, ExecutionSlots.Count - 2)], two.PerCpu);
        Assert.Equal((ulong)counted.Count, one.PerCpu.Aggregate(0UL, (a, b) => a + b));
    }

    [Fact]
    public void More_jobs_than_execution_slots_are_refused_before_any_packet_runs()
    {
        using var obj = BpfObject.Load(Flows);
        using var runner = PacketRunner.Open(obj.Programs["count"]);
        using var capture = CaptureReader.Open(new MemoryStream(ExampleTraffic.Capture(Traffic)), "traffic");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CaptureReplay.Run(runner, capture, jobs: ExecutionSlots.Count + 1));
        Assert.StartsWith($"a replay runs on 1 to {ExecutionSlots.Count} cores", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptureReplay.Run(runner, capture, jobs: 0));
        Assert.Equal(0, capture.Position - 24); // only the file header was read
    }

    sealed record Result(ReplaySummary Summary, byte[] Output, (long, long) Totals, Dictionary<string, Stats> Flows, ulong[] PerCpu);

    readonly record struct Stats(ulong Packets, ulong Bytes, ulong CpusSeen, uint Cpu);

    static Result Replay(ExecutionEngine engine, int jobs)
    {
        using var obj = BpfObject.Load(Flows);
        using var runner = PacketRunner.Open(obj.Programs["count"], engine);
        using var capture = CaptureReader.Open(new MemoryStream(ExampleTraffic.Capture(Traffic)), "traffic");
        using var output = new ScratchFile(".pcap");
        ReplaySummary summary;
        using (var outputs = new CaptureOutputs(output.Path)) summary = CaptureReplay.Run(runner, capture, outputs, jobs: jobs);
        var total = obj.Maps["totals"].Lookup(new byte[4])!;
        var flows = obj.Maps["flows"].Keys.ToDictionary(Convert.ToHexString, key =>
        {
            var value = obj.Maps["flows"].Lookup(key)!;
            return new Stats(U64(value, 0), U64(value, 8), U64(value, 16), BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(24)));
        });
        return new Result(summary, File.ReadAllBytes(output.Path), ((long)U64(total, 0), (long)U64(total, 8)), flows,
            obj.Maps["per_cpu"].AsPerCpuArray<ulong>()[0]);
    }

    static ulong U64(byte[] value, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(offset));

    /// <summary>The EtherType inside up to two VLAN tags, and where the network header starts.</summary>
    static (ushort EtherType, int Offset) Network(byte[] f)
    {
        var (type, offset) = (BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)), 14);
        for (var tags = 0; tags < 2 && type is Packets.VlanType or Packets.QinQType; tags++, offset += 4)
            type = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(offset + 2));
        return (type, offset);
    }

    /// <summary>flows.c's key of a frame (struct flow: addresses as in the packet, ports and EtherType in host order,
    /// the protocol), hex as the map's keys are; null for a frame it drops before counting (cut inside a header it
    /// reads).</summary>
    static string? KeyOf(byte[] f)
    {
        var key = new byte[40];
        var (etherType, ip) = Network(f);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(36), etherType);
        var l4 = -1;
        if (f.Length < ip || etherType == Packets.Ipv4Type && f.Length < ip + 20 || etherType == Packets.Ipv6Type && f.Length < ip + 40)
            return null;
        if (etherType == Packets.Ipv4Type)
        {
            f.AsSpan(ip + 12, 4).CopyTo(key);
            f.AsSpan(ip + 16, 4).CopyTo(key.AsSpan(16));
            key[38] = f[ip + 9];
            if ((BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(ip + 6)) & 0x3fff) == 0 && f[ip] == 0x45) l4 = ip + 20;
        }
        else if (etherType == Packets.Ipv6Type)
        {
            f.AsSpan(ip + 8, 32).CopyTo(key);
            key[38] = f[ip + 6];
            l4 = ip + 40;
        }
        if (l4 > 0 && key[38] is Packets.Tcp or Packets.Udp)
        {
            if (f.Length < l4 + 4) return null;
            BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(32), BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l4)));
            BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(34), BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l4 + 2)));
        }
        return Convert.ToHexString(key);
    }
}
