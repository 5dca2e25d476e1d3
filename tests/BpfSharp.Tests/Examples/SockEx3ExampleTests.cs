using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Tests.Cli;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>examples/sockex3 through <c>bpfsharp pcap</c>, as the README runs it, against <see cref="SockEx3Model"/>.</summary>
public class SockEx3ExampleTests
{
    internal static readonly string Object = ExampleObject.PathOf("sockex3/sockex3.o");

    internal static readonly string[] Slots =
    [
        "--tail-call", "jmp_table:1=parse_vlan", "--tail-call", "jmp_table:2=parse_ip", "--tail-call", "jmp_table:3=parse_ipv6",
        "--tail-call", "jmp_table:4=parse_tcp", "--tail-call", "jmp_table:5=parse_udp",
    ];

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void The_filter_keeps_what_it_parses_and_counts_every_flow(ExecutionEngine engine)
    {
        var frames = ExampleTraffic.Frames("sockex3");
        var model = new SockEx3Model();
        var expected = frames.Select(model.Run).ToList();
        using var output = new ScratchFile(".pcap");
        var (exit, stdout, stderr) = CliProcess.Run(["pcap", Object, "--program", "main_prog", ExampleTraffic.ShippedCapture("sockex3"),
            .. Slots, "--out", output.Path, "--json", "--engine", engine.ToString().ToLowerInvariant()]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);

        Assert.Equal(frames.Count, json.Packets);
        var kept = frames.Zip(expected).Where(p => p.Second.ReturnValue > 0).ToList();
        var dropped = frames.Zip(expected).Where(p => p.Second.ReturnValue == 0).ToList();
        Assert.Equal((kept.Count, kept.Sum(p => (long)p.First.Length)), json.Verdicts["accepted"]);
        Assert.Equal((dropped.Count, dropped.Sum(p => (long)p.First.Length)), json.Verdicts["dropped"]);
        Assert.Equal(expected.Sum(e => (long)e.ReturnValue), json.AcceptedBytes);
        Assert.Equal(ReplayJson.Histogram(expected.Select(e => e.Programs)), json.ProgramsPerPacket);
        Assert.Equal(model.FlowsAsJson().OrderBy(f => f.Key), json.Maps["flows"].OrderBy(f => f.Key));
        // A filter keeps whole packets here (it returns skb->len), so they leave as they came.
        Assert.Equal(kept.Count, json.Written);
        Assert.Equal(kept.Select(p => p.First), CaptureReader.ReadFile(output.Path).Select(p => p.Data.ToArray()));
    }

    [Fact]
    public void Without_its_stages_in_the_program_array_every_packet_is_dropped_by_main_prog_alone()
    {
        var (exit, stdout, _) = CliProcess.Run(["pcap", Object, "--program", "main_prog", ExampleTraffic.ShippedCapture("sockex3"), "--json"]);
        Assert.Equal(0, exit);
        var json = ReplayJson.Parse(stdout);
        var frames = ExampleTraffic.Frames("sockex3");
        Assert.Equal(new Dictionary<string, (long, long)> { ["dropped"] = (frames.Count, frames.Sum(f => (long)f.Length)) }, json.Verdicts);
        Assert.Equal(new Dictionary<int, long> { [1] = frames.Count }, json.ProgramsPerPacket);
        Assert.Empty(json.Maps["flows"]);
    }
}
