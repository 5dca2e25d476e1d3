using BpfSharp.Execution;
using BpfSharp.Tests.Examples;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp pcap --jobs 2</c> on the shipped examples against <c>--jobs 1</c>: the same report, maps and
/// output capture, for programs whose answers do not depend on the order of packets across flows.</summary>
public class PcapJobsTests
{
    [TheoryRequires(Requirement.TwoCpus), MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Sockex3_on_two_cores_counts_every_flow_and_keeps_every_packet_as_on_one(ExecutionEngine engine)
    {
        string[] arguments = ["pcap", SockEx3ExampleTests.Object, "--program", "main_prog", ExampleTraffic.ShippedCapture("sockex3"),
            .. SockEx3ExampleTests.Slots, "--json", "--engine", engine.ToString().ToLowerInvariant()];
        // `state` is per-CPU scratch: what each CPU's last packet left there, which CPU ran which packet decides.
        AssertSameOnTwoCores(arguments, notCompared: ["state"]);
    }

    [TheoryRequires(Requirement.TwoCpus), MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void The_XDP_pipeline_with_a_budget_no_source_reaches_gives_one_core_s_verdicts_on_two(ExecutionEngine engine)
    {
        // The rate limiter counts per source, and 10.0.66.6 sends 12 flows, which two workers share: with the shipped
        // budget of 8, which of them pass depends on the order across flows. Its first lookup and insert race as in the
        // kernel (two CPUs can both miss and both insert 1), so only the keys of `sources` are compared.
        string[] arguments = ["pcap", XdpPipelineExampleTests.Object, "--program", "xdp_parse", ExampleTraffic.ShippedCapture("xdp-pipeline"),
            "--set-global", ".data:0=10000000", "--json", "--engine", engine.ToString().ToLowerInvariant()];
        AssertSameOnTwoCores(arguments, notCompared: [], keysOnly: ["sources"]);
    }

    [Fact]
    public void More_jobs_than_processors_is_bad_input_naming_the_limit()
    {
        var (exit, stdout, stderr) = CliProcess.Run(["pcap", XdpPipelineExampleTests.Object, "--program", "xdp_parse",
            ExampleTraffic.ShippedCapture("xdp-pipeline"), "--jobs", $"{ExecutionSlots.Count + 1}"]);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"bpfsharp: --jobs {ExecutionSlots.Count + 1}: a capture replays on 1 to {ExecutionSlots.Count} cores here, one per " +
            "execution slot (per-CPU maps keep a value for each)", stderr.Trim());
    }

    static void AssertSameOnTwoCores(string[] arguments, string[] notCompared, string[]? keysOnly = null)
    {
        using var oneOutput = new ScratchFile(".pcap");
        using var twoOutput = new ScratchFile(".pcap");
        var one = CliProcess.Run([.. arguments, "--out", oneOutput.Path, "--jobs", "1"]);
        var two = CliProcess.Run([.. arguments, "--out", twoOutput.Path, "--jobs", "2"]);
        Assert.Equal((0, ""), (one.ExitCode, one.Stderr));
        Assert.Equal((0, ""), (two.ExitCode, two.Stderr));
        var (a, b) = (ReplayJson.Parse(one.Stdout), ReplayJson.Parse(two.Stdout));
        Assert.Equal((a.Packets, a.Bytes, a.AcceptedBytes, a.Written), (b.Packets, b.Bytes, b.AcceptedBytes, b.Written));
        Assert.Equal(a.Verdicts, b.Verdicts);
        Assert.Equal(a.ProgramsPerPacket, b.ProgramsPerPacket);
        Assert.Equal(a.Maps.Keys, b.Maps.Keys);
        foreach (var (name, entries) in a.Maps.Where(m => !notCompared.Contains(m.Key)))
            if (keysOnly?.Contains(name) == true) Assert.Equal(entries.Keys.Order(), b.Maps[name].Keys.Order());
            else Assert.Equal(entries.OrderBy(e => e.Key), b.Maps[name].OrderBy(e => e.Key));
        // Merged in capture order: the very file one core writes.
        Assert.Equal(File.ReadAllBytes(oneOutput.Path), File.ReadAllBytes(twoOutput.Path));
    }
}
