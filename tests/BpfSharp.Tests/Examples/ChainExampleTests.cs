using System.Buffers.Binary;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Tests.Cli;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>examples/chain through <c>bpfsharp chain</c>, as the README runs it, against <see cref="ChainModel"/>.</summary>
public class ChainExampleTests
{
    internal static readonly string Config = ExampleObject.PathOf("chain/chain.json");

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Three_objects_count_filter_and_rewrite_in_the_configured_order(ExecutionEngine engine)
    {
        var frames = ExampleTraffic.Frames("chain");
        var model = new ChainModel();
        var expected = frames.Select(model.Run).ToList();
        using var output = new ScratchFile(".pcap");
        var (exit, stdout, stderr) = CliProcess.Run(["chain", Config, "--out", output.Path, "--json", "--engine", engine.ToString().ToLowerInvariant()]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);

        Assert.Equal(ReplayJson.XdpVerdicts(frames, expected.Select(e => e.Action)), json.Verdicts);
        Assert.Equal(ReplayJson.Histogram(expected.Select(e => e.Programs)), json.ProgramsPerPacket);
        var counted = json.Maps["count/ethertypes"].ToDictionary(e => BinaryPrimitives.ReadUInt16LittleEndian(Convert.FromHexString(e.Key)),
            e => (BinaryPrimitives.ReadUInt64LittleEndian(Convert.FromHexString(e.Value)), BinaryPrimitives.ReadUInt64LittleEndian(Convert.FromHexString(e.Value).AsSpan(8))));
        Assert.Equal(model.EtherTypes, new SortedDictionary<ushort, (ulong, ulong)>(counted));
        Assert.Equal(model.Blocked, BinaryPrimitives.ReadUInt64LittleEndian(Convert.FromHexString(json.Maps["filter/blocked"]["00000000"])));
        Assert.Equal(expected.Where(e => e.Output is not null).Select(e => e.Output!), CaptureReader.ReadFile(output.Path).Select(p => p.Data.ToArray()));
    }

    [Fact]
    public void One_packet_given_as_data_runs_the_chain_once()
    {
        var frame = ExampleTraffic.Frames("chain")[0];
        using var packet = new ScratchFile(".bin");
        File.WriteAllBytes(packet.Path, frame);
        var (exit, stdout, stderr) = CliProcess.Run(["chain", Config, "--data-in", packet.Path]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var (_, _, output) = new ChainModel().Run(frame);
        Assert.Contains("count: return value 2 (XDP_PASS), 2 tail calls: 3 of 3 stages ran", stdout);
        Assert.Contains($"data out: {Convert.ToHexStringLower(output!)}", stdout);
    }
}
