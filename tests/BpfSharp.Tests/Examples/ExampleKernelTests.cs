using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Examples;

/// <summary>The XDP and socket-filter examples in the running kernel (bpftool prog run, one packet at a time, maps
/// carrying over) and in BpfSharp on both engines: the same return values, the same data_out, the same maps at the
/// end. Skipped, with the reason, without root and bpftool.</summary>
public class ExampleKernelTests
{
    [FactRequires(Requirement.Kernel)]
    public void The_xdp_pipeline_answers_each_packet_as_the_kernel_does()
    {
        var frames = ExampleTraffic.Frames("xdp-pipeline");
        List<KernelRunResult> kernelRuns;
        IReadOnlyList<KernelMapEntry> kernelVerdicts, kernelSources;
        // libbpf fills both program arrays from the object's static initialisers as it loads it.
        using (var kernel = KernelOracle.Load(XdpPipelineExampleTests.Object))
        {
            kernelRuns = frames.Select(f => kernel.Run("xdp_parse", new KernelRunOptions { Data = f, DataOut = true })).ToList();
            (kernelVerdicts, kernelSources) = (kernel.Dump("verdicts"), kernel.Dump("sources"));
        }
        foreach (var engine in EngineTheories.All)
        {
            using var obj = BpfObject.Load(XdpPipelineExampleTests.Object);
            for (var i = 0; i < frames.Count; i++)
            {
                var ours = obj.Programs["xdp_parse"].Run(new RunOptions { Data = frames[i], Engine = engine });
                Assert.True(kernelRuns[i].ReturnValue == ours.ReturnValue, $"{engine}, packet {i}: kernel {kernelRuns[i].ReturnValue}, BpfSharp {ours.ReturnValue}");
                Assert.Equal(Convert.ToHexStringLower(kernelRuns[i].DataOut!), Convert.ToHexStringLower(ours.DataOut));
            }
            Assert.Equal(Dump(kernelVerdicts), Dump(obj.Maps["verdicts"]));
            Assert.Equal(Dump(kernelSources), Dump(obj.Maps["sources"]));
        }
    }

    [FactRequires(Requirement.Kernel)]
    public void The_sockex3_filter_answers_each_packet_as_the_kernel_does()
    {
        var frames = ExampleTraffic.Frames("sockex3");
        string[] stages = ["", "parse_vlan", "parse_ip", "parse_ipv6", "parse_tcp", "parse_udp"];
        List<KernelRunResult> kernelRuns;
        IReadOnlyList<KernelMapEntry> kernelFlows;
        using (var kernel = KernelOracle.Load(SockEx3ExampleTests.Object))
        {
            for (var slot = 1u; slot < stages.Length; slot++) kernel.SetProgramSlot("jmp_table", slot, stages[slot]);
            kernelRuns = frames.Select(f => kernel.Run("main_prog", new KernelRunOptions { Data = f, DataOut = true })).ToList();
            kernelFlows = kernel.Dump("flows");
        }
        foreach (var engine in EngineTheories.All)
        {
            using var obj = BpfObject.Load(SockEx3ExampleTests.Object);
            for (var slot = 1; slot < stages.Length; slot++) obj.Maps["jmp_table"].AsProgramArray()[slot] = obj.Programs[stages[slot]];
            for (var i = 0; i < frames.Count; i++)
            {
                var ours = obj.Programs["main_prog"].Run(new RunOptions { Data = frames[i], Engine = engine });
                Assert.True(kernelRuns[i].ReturnValue == ours.ReturnValue, $"{engine}, packet {i}: kernel {kernelRuns[i].ReturnValue}, BpfSharp {ours.ReturnValue}");
                Assert.Equal(Convert.ToHexStringLower(kernelRuns[i].DataOut!), Convert.ToHexStringLower(ours.DataOut));
            }
            Assert.Equal(Dump(kernelFlows), Dump(obj.Maps["flows"]));
        }
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_packet_runner_gives_what_a_test_run_of_each_packet_gives(ExecutionEngine engine)
    {
        // The replay path (one session for every packet) against a fresh test run per packet, maps carrying over in both.
        var frames = ExampleTraffic.Frames("xdp-pipeline");
        using var replayed = BpfObject.Load(XdpPipelineExampleTests.Object);
        using var tested = BpfObject.Load(XdpPipelineExampleTests.Object);
        using var runner = PacketRunner.Open(replayed.Programs["xdp_parse"], engine);
        foreach (var frame in frames)
        {
            var expected = tested.Programs["xdp_parse"].Run(new RunOptions { Data = frame, Engine = engine });
            var outcome = runner.Run(frame);
            Assert.Equal(expected.ReturnValue, outcome.ReturnValue);
            Assert.Equal(expected.TailCalls, outcome.TailCalls);
            Assert.Equal(Convert.ToHexStringLower(expected.DataOut[8..]), Convert.ToHexStringLower(outcome.Frame)); // data_out starts with 8 bytes of metadata
        }
        Assert.Equal(Dump(tested.Maps["verdicts"]), Dump(replayed.Maps["verdicts"]));
    }

    static List<string> Dump(IEnumerable<KernelMapEntry> entries) =>
        entries.Select(e => $"{Convert.ToHexStringLower(e.Key)}={Convert.ToHexStringLower(e.Value ?? [])}").Order(StringComparer.Ordinal).ToList();

    static List<string> Dump(BpfMap map) =>
        map.Keys.Select(k => $"{Convert.ToHexStringLower(k)}={Convert.ToHexStringLower(map.Lookup(k)!)}").Order(StringComparer.Ordinal).ToList();
}
