using BpfSharp.Tests.Examples;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp chain</c>'s configuration errors: each one line naming the file, the stage and what is wrong.</summary>
public class ChainCommandTests
{
    static string Example(string file) => Path.Combine(ExampleObject.PathOf("chain"), file);

    static string Mismatch(string file) => Path.Combine(Requirements.FixturesDirectory, "pcap", file);

    /// <summary>Runs a configuration written to a temporary file; returns the exit code and stderr.</summary>
    static (int Exit, string Stderr) Chain(string json, params string[] arguments)
    {
        using var config = new ScratchFile(".json");
        File.WriteAllText(config.Path, json);
        var (exit, _, stderr) = CliProcess.Run(["chain", config.Path, .. arguments]);
        return (exit, stderr.Replace(config.Path, "CONFIG"));
    }

    static string Stages(params (string Object, string Program)[] stages) =>
        "{ \"input\": \"" + Example("traffic.pcap") + "\", \"stages\": [" +
        string.Join(", ", stages.Select(s => $"{{ \"object\": \"{s.Object}\", \"program\": \"{s.Program}\" }}")) + "] }";

    [Fact]
    public void Malformed_configurations_are_refused_with_the_place_and_the_reason()
    {
        Assert.Equal((1, "bpfsharp: CONFIG: line 1, byte 13: not valid JSON ('}' is an invalid start of a value)\n"), Chain("{ \"stages\": }"));
        Assert.Equal((1, "bpfsharp: CONFIG: 'stages' is missing: list the programs to chain, each as { \"object\": \"x.o\", \"program\": \"name\" }\n"),
            Chain("{ \"input\": \"x.pcap\" }"));
        Assert.Equal((1, "bpfsharp: CONFIG: the file has an unknown property 'stage' (known: programArray, indexVariable, sharedMaps, input, dataIn, stages)\n"),
            Chain("{ \"stage\": [] }"));
        Assert.Equal((1, "bpfsharp: CONFIG: stages[0].program is missing\n"), Chain("{ \"stages\": [ { \"object\": \"a.o\" } ] }"));
        Assert.Equal((1, "bpfsharp: CONFIG: stages[0].globals.x: -1 is not an unsigned integer\n"),
            Chain("{ \"stages\": [ { \"object\": \"a.o\", \"program\": \"p\", \"globals\": { \"x\": -1 } } ] }"));
        Assert.Equal((1, "bpfsharp: CONFIG: stages: the chain needs at least one stage\n"), Chain("{ \"stages\": [] }"));
        Assert.Equal((1, "bpfsharp: CONFIG names no input: add \"input\" (a capture) or \"dataIn\" (a packet), or pass --input/--data-in\n"),
            Chain($"{{ \"stages\": [ {{ \"object\": \"{Example("counter.o")}\", \"program\": \"count\" }} ] }}"));
    }

    [Fact]
    public void Stages_that_do_not_fit_together_are_named()
    {
        var (exit, stderr) = Chain(Stages((Example("counter.o"), "count"), (Mismatch("chain_small.o"), "stage")));
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: chain stage 1 (stage): section .maps: map 'chain_progs' cannot reuse map 'chain_progs': it has max_entries 16, not 4 (libbpf: parameter mismatch)\n", stderr);

        (exit, stderr) = Chain(Stages((Example("counter.o"), "count"), (Mismatch("chain_tc.o"), "stage")));
        Assert.Equal(1, exit);
        Assert.StartsWith("bpfsharp: chain stage 1 (stage): ", stderr);
        Assert.Contains("stage is a SchedCls program but program array 'chain_progs' holds Xdp programs", stderr);

        (exit, stderr) = Chain(Stages((Example("counter.o"), "count"), (Example("filter.o"), "nope")));
        Assert.Equal((1, "bpfsharp: chain stage 1 (nope): filter.o has no program 'nope' (it has filter)\n"), (exit, stderr));

        (exit, stderr) = Chain(Stages((Example("counter.o"), "count"), (ExampleObject.PathOf("sockex3/sockex3.o"), "main_prog")));
        Assert.Equal((1, "bpfsharp: chain stage 1 (main_prog): sockex3.o does not define the chain's program array 'chain_progs'\n"), (exit, stderr));

        (exit, stderr) = Chain("{ \"input\": \"" + Example("traffic.pcap") + "\", \"stages\": [ { \"object\": \"" + Example("filter.o") +
            "\", \"program\": \"filter\", \"globals\": { \"blocked_port\": 4294967296 } } ] }");
        Assert.Equal((1, "bpfsharp: chain stage 0 (filter): 4294967296 does not fit global variable 'blocked_port' (4 bytes)\n"), (exit, stderr));
    }

    [Fact]
    public void A_blocked_port_set_in_the_configuration_changes_what_the_filter_drops()
    {
        using var config = new ScratchFile(".json");
        File.WriteAllText(config.Path, File.ReadAllText(Example("chain.json")).Replace("\"blocked_port\": 23", "\"blocked_port\": 80")
            .Replace("\"traffic.pcap\"", $"\"{Example("traffic.pcap")}\"").Replace("\"counter.o\"", $"\"{Example("counter.o")}\"")
            .Replace("\"filter.o\"", $"\"{Example("filter.o")}\"").Replace("\"rewriter.o\"", $"\"{Example("rewriter.o")}\""));
        var (exit, stdout, stderr) = CliProcess.Run(["chain", config.Path, "--json"]);
        Assert.True(exit == 0, stderr);
        var model = new ChainModel(blockedPort: 80);
        var actions = ExampleTraffic.Frames("chain").Select(f => model.Run(f).Action).ToList();
        var json = ReplayJson.Parse(stdout);
        Assert.Equal(ReplayJson.XdpVerdicts(ExampleTraffic.Frames("chain"), actions), json.Verdicts);
        Assert.Equal(model.Blocked, BitConverter.ToUInt64(Convert.FromHexString(json.Maps["filter/blocked"]["00000000"])));
    }
}
