using System.Buffers.Binary;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Tests.Cli;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>examples/xdp-pipeline through <c>bpfsharp pcap</c>, as the README runs it, against <see cref="XdpPipelineModel"/>.</summary>
public class XdpPipelineExampleTests
{
    internal static readonly string Object = ExampleObject.PathOf("xdp-pipeline/xdp_pipeline.o");

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Every_stage_drops_what_it_should_and_the_verdict_stage_counts_it(ExecutionEngine engine)
    {
        var frames = ExampleTraffic.Frames("xdp-pipeline");
        var model = new XdpPipelineModel();
        var expected = frames.Select(model.Run).ToList();
        // The capture is built to take every path at least once.
        Assert.Equal(Enumerable.Range(0, 6), expected.Select(e => e.Reason).Distinct().Order());
        using var output = new ScratchFile(".pcap");
        var (exit, stdout, stderr) = CliProcess.Run(["pcap", Object, "--program", "xdp_parse", ExampleTraffic.ShippedCapture("xdp-pipeline"),
            "--out", output.Path, "--json", "--engine", engine.ToString().ToLowerInvariant()]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);

        Assert.Equal(ReplayJson.XdpVerdicts(frames, expected.Select(e => e.Action)), json.Verdicts);
        Assert.Equal(ReplayJson.Histogram(expected.Select(e => e.Programs)), json.ProgramsPerPacket);
        var verdicts = json.Maps["verdicts"];
        for (var reason = 0; reason < 6; reason++)
        {
            var value = Convert.FromHexString(verdicts[Key(reason)]);
            Assert.Equal(model.Verdicts[reason], (BinaryPrimitives.ReadUInt64LittleEndian(value), BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(8))));
        }
        // Passed packets leave unchanged: the metadata the stages shared stays behind (data_meta is not data).
        Assert.Equal(frames.Zip(expected).Where(p => p.Second.Action == 2).Select(p => p.First),
            CaptureReader.ReadFile(output.Path).Select(p => p.Data.ToArray()));
    }

    [Fact]
    public void A_larger_budget_set_through_data_lets_the_flooding_source_through()
    {
        // packet_budget is the only variable in .data: offset 0.
        var (exit, stdout, _) = CliProcess.Run(["pcap", Object, "--program", "xdp_parse", ExampleTraffic.ShippedCapture("xdp-pipeline"),
            "--set-global", ".data:0=10000000", "--json"]);
        Assert.Equal(0, exit);
        var model = new XdpPipelineModel(budget: 16);
        foreach (var frame in ExampleTraffic.Frames("xdp-pipeline")) model.Run(frame);
        Assert.Equal(0ul, model.Verdicts[XdpPipelineModel.RateLimited].Packets);
        Assert.Equal("0000000000000000" + "0000000000000000", ReplayJson.Parse(stdout).Maps["verdicts"][Key(XdpPipelineModel.RateLimited)]);
    }

    static string Key(int reason) => Convert.ToHexStringLower(BitConverter.GetBytes((uint)reason));
}
