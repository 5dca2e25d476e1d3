using BpfSharp.Events;
using System.CommandLine;
using System.Text.Json;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp chain CONFIG.json</c>: loads the programs a configuration lists from their objects, puts
/// them in one root program array in that order (each object's copy of the array being the same map), and runs the
/// chain from its first stage over a capture, as <c>pcap</c> does, or over one packet, as <c>run</c> does.</summary>
internal static class ChainCommand
{
    internal sealed record Options(string ConfigPath, string? Input, string? Data, string? Output, bool Json,
        ExecutionEngine Engine = ExecutionEngine.Interpreter);

    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "the chain's JSON configuration (README.md, \"chain\")" };
        var input = new Option<FileInfo?>("--input") { Description = "a capture to run instead of the configuration's input" };
        var dataIn = new Option<FileInfo?>("--data-in") { Description = "one packet to run instead of the configuration's input" };
        var output = new Option<FileInfo?>("--out") { Description = "with a capture: write the packets the chain lets through to this pcap" };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var command = new Command("chain", """
            compose programs from several objects by tail calls and run the chain over a capture or one input

            examples:
              bpfsharp chain examples/chain/chain.json
              bpfsharp chain examples/chain/chain.json --engine jit --out rewritten.pcap --json
            exit codes: 0 ran, 1 bad input (the config, an object, a stage), 2 a program stopped with a run-time error
            """)
        {
            config, input, dataIn, output, engine, json,
        };
        command.SetAction(parse => CliErrors.Guard(parse, () =>
            Run(new Options(parse.GetValue(config)!.FullName, parse.GetValue(input)?.FullName, parse.GetValue(dataIn)?.FullName,
                parse.GetValue(output)?.FullName, parse.GetValue(json), EngineOption.Parse(parse.GetValue(engine)!)), Terminal.Create(), Console.Out)));
        return command;
    }

    public static int Run(Options o, IAnsiConsole console, TextWriter stdout)
    {
        var config = ChainConfig.Read(o.ConfigPath);
        if (o.Input is not null && o.Data is not null) throw new BpfException("give --input or --data-in, not both");
        var (input, dataIn) = o.Input is not null || o.Data is not null ? (o.Input, o.Data) : (config.Input, config.DataIn);
        if (input is null && dataIn is null)
            throw new BpfException($"{o.ConfigPath} names no input: add \"input\" (a capture) or \"dataIn\" (a packet), or pass --input/--data-in");
        if (dataIn is not null && o.Output is not null) throw new BpfException("--out writes a capture: it goes with --input, not --data-in");
        using var chain = ProgramChain.Load(config.Stages, config.Options);
        var maps = Maps(chain);
        if (!o.Json) WriteLayout(console, chain, config.Options);
        if (input is not null)
        {
            var summary = CaptureRun.Replay(chain.Entry, o.Engine, input, o.Output, console, quiet: o.Json);
            if (o.Json) ReplayReport.WriteJson(stdout, chain.Entry, input, summary, o.Output, maps);
            else ReplayReport.WriteText(console, chain.Entry, input, summary, o.Output, maps);
            return 0;
        }
        var packet = File.ReadAllBytes(dataIn!);
        var result = chain.Entry.Run(new RunOptions { Data = packet, Engine = o.Engine });
        if (o.Json) WriteJson(stdout, chain.Entry, result, maps);
        else
        {
            ReplayReport.Line(console, $"{chain.Entry.Name}: return value {result.ReturnValue} ({PacketVerdict.Name(chain.Entry.Type, result.ReturnValue)}), " +
                $"{result.TailCalls} tail calls: {result.TailCalls + 1} of {chain.Programs.Count} stages ran");
            if (!result.DataOut.AsSpan().SequenceEqual(packet)) ReplayReport.Line(console, $"data out: {Convert.ToHexStringLower(result.DataOut)}");
            MapTables.WriteText(console, maps);
        }
        return 0;
    }

    /// <summary>The shared maps by their name, then each stage's own as "stage/map".</summary>
    static List<(string Name, BpfMap Map)> Maps(ProgramChain chain)
    {
        var maps = chain.SharedMaps.Select(m => (m.Key, m.Value)).ToList();
        for (var i = 0; i < chain.Objects.Count; i++)
            maps.AddRange(chain.Objects[i].Maps.Where(m => !chain.SharedMaps.ContainsKey(m.Key))
                .Select(m => ($"{chain.Stages[i].DisplayName}/{m.Key}", m.Value)));
        return maps;
    }

    static void WriteLayout(IAnsiConsole console, ProgramChain chain, ChainOptions options)
    {
        var table = new Table().AddColumns($"{options.ProgramArray} slot", "stage", "program", "object");
        for (var i = 0; i < chain.Programs.Count; i++)
            table.AddRow(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(chain.Stages[i].DisplayName),
                Markup.Escape(chain.Programs[i].Name), Markup.Escape(Path.GetFileName(chain.Stages[i].ObjectPath)));
        console.Write(table);
    }

    static void WriteJson(TextWriter stdout, BpfProgram entry, RunResult result, IEnumerable<(string Name, BpfMap Map)> maps)
    {
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("program", entry.Name);
            json.WriteNumber("returnValue", result.ReturnValue);
            json.WriteString("verdict", PacketVerdict.Name(entry.Type, result.ReturnValue));
            json.WriteNumber("tailCalls", result.TailCalls);
            json.WriteString("dataOut", Convert.ToHexStringLower(result.DataOut));
            MapsJson.Write(json, maps);
            json.WriteEndObject();
        });
    }
}
