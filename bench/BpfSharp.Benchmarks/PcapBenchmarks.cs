using BenchmarkDotNet.Attributes;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Benchmarks;

/// <summary>What <c>bpfsharp pcap</c> sustains: an in-memory capture of <see cref="Packets"/> packets
/// (<see cref="SyntheticCapture"/>) read and replayed through an example (xdp-pipeline: 2-4 programs a packet;
/// sockex3: 1-5), counted as the command counts them. Time per operation is time per packet; packets/s is its
/// inverse. <c>dotnet run -c Release --project bench/BpfSharp.Benchmarks -- --filter '*PcapBenchmarks*'</c></summary>
public class PcapBenchmarks
{
    const int Packets = 100_000;

    BpfObject obj = null!;
    PacketRunner runner = null!;
    byte[] capture = null!;

    [Params(ExecutionEngine.Interpreter, ExecutionEngine.Jit)]
    public ExecutionEngine Engine { get; set; }

    [Params("xdp-pipeline", "sockex3")]
    public string Example { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        using (var stream = new MemoryStream())
        {
            SyntheticCapture.Write(stream, Packets);
            capture = stream.ToArray();
        }
        if (Example == "sockex3")
        {
            obj = BpfObject.Load(Prepared.RepositoryFile(Path.Combine("examples", "sockex3", "sockex3.o")));
            string[] stages = ["parse_vlan", "parse_ip", "parse_ipv6", "parse_tcp", "parse_udp"];
            for (var slot = 1; slot <= stages.Length; slot++) obj.Maps["jmp_table"].AsProgramArray()[slot] = obj.Programs[stages[slot - 1]];
            runner = PacketRunner.Open(obj.Programs["main_prog"], Engine);
        }
        else
        {
            obj = BpfObject.Load(Prepared.RepositoryFile(Path.Combine("examples", "xdp-pipeline", "xdp_pipeline.o")));
            runner = PacketRunner.Open(obj.Programs["xdp_parse"], Engine);
        }
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public long Replay()
    {
        using var reader = CaptureReader.Open(new MemoryStream(capture, writable: false), "synthetic");
        return CaptureReplay.Run(runner, reader).Packets;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        runner.Dispose();
        obj.Dispose();
    }
}
