using System.CommandLine;
using System.Text.Json;
using BpfSharp.Execution;
using BpfSharp.Programs;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp bench OBJ PROGRAM</c>: times a program on both engines as <c>bpftool prog run ... repeat N</c>
/// times one in the kernel (the average of N runs, from the second run on, with compilation and setup outside the
/// timing), several samples each, and shows min/median/max nanoseconds per run side by side.</summary>
internal static class BenchCommand
{
    const long SampleTargetNs = 20_000_000;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a BPF ELF object" };
        var program = new Argument<string>("program") { Description = "the program (function name or section) in the object" };
        var dataIn = new Option<string?>("--data-in") { Description = "file with the packet (data_in); default 64 zero bytes for packet programs" };
        var ctxIn = new Option<string?>("--ctx-in") { Description = "file with the context (ctx_in)" };
        var samples = new Option<int>("--samples") { Description = "timed samples per engine", DefaultValueFactory = _ => 15 };
        var repeat = new Option<int?>("--repeat") { Description = "runs per sample (default: enough for about 20 ms)" };
        var engine = new Option<string?>("--engine") { Description = "only this engine (interpreter or jit); default both" };
        var tailCall = new Option<string[]>("--tail-call") { Description = "MAP:INDEX=PROGRAM: put PROGRAM in a program array slot (repeatable)" };
        var setGlobal = new Option<string[]>("--set-global") { Description = "MAP:OFFSET=HEXBYTES: write bytes into global data (repeatable)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object per engine: samples and min/median/max" };
        var command = new Command("bench", """
            time a program on the interpreter and the JIT: min/median/max ns per run

            examples:
              bpfsharp bench tests/fixtures/bench/compute.bpf.o xorshift
              bpfsharp bench examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink --samples 30
            exit codes: 0 timed, 1 bad input (the object, the program, an option)
            """)
        {
            file, program, dataIn, ctxIn, samples, repeat, engine, tailCall, setGlobal, json,
        };
        command.SetAction(parse => CliErrors.Guard(parse, () =>
        {
            var count = parse.GetValue(samples);
            if (count < 1) throw new BpfException($"--samples must be at least 1, is {count}");
            var engines = parse.GetValue(engine) is { } only ? [EngineOption.Parse(only)] : new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit };
            var options = new ObjectRun.Options(parse.GetValue(file)!.FullName, parse.GetValue(program)!, parse.GetValue(dataIn),
                parse.GetValue(ctxIn), 1, parse.GetValue(tailCall) ?? [], parse.GetValue(setGlobal) ?? [], false);
            var results = engines.Select(e => Measure(options with { Engine = e }, count, parse.GetValue(repeat))).ToList();
            if (parse.GetValue(json)) WriteJson(results);
            else WriteTable(options.Program, results);
            return 0;
        }));
        return command;
    }

    internal sealed record Timing(ExecutionEngine Engine, uint ReturnValue, int Repeat, long[] Samples)
    {
        public long Min => Samples.Min();
        public long Max => Samples.Max();
        public long Median => Samples.Order().ElementAt(Samples.Length / 2);
    }

    static Timing Measure(ObjectRun.Options options, int samples, int? repeat)
    {
        // A fresh object per engine: maps start as the options leave them, as for a new bpftool load.
        var (obj, program, dataIn) = ObjectRun.Prepare(options);
        using var owner = obj;
        RunResult Run(int n) => program.Run(ObjectRun.RunOptions(options with { Repeat = n }, dataIn));
        var first = Run(1);
        var runs = repeat ?? Calibrate(Run);
        if (runs < 1) throw new BpfException($"--repeat must be at least 1, is {runs}");
        var times = new long[samples];
        for (var i = 0; i < samples; i++) times[i] = Run(runs).DurationNs;
        return new Timing(options.Engine, first.ReturnValue, runs, times);
    }

    static int Calibrate(Func<int, RunResult> run)
    {
        var runs = 1;
        while (runs < 100_000_000)
        {
            var total = run(runs).DurationNs * runs;
            if (total >= SampleTargetNs / 4) return (int)Math.Clamp(runs * (double)SampleTargetNs / Math.Max(total, 1), 1, 100_000_000);
            runs *= 8;
        }
        return runs;
    }

    static void WriteTable(string program, List<Timing> results)
    {
        var table = new Table().Title($"{program}: ns per run").AddColumns("engine", "r0", "runs/sample", "min", "median", "max");
        foreach (var t in results)
            table.AddRow(EngineOption.Name(t.Engine), $"0x{t.ReturnValue:x}", t.Repeat.ToString(), t.Min.ToString(), t.Median.ToString(), t.Max.ToString());
        var console = Terminal.Create();
        console.Write(table);
        if (results.Count == 2 && results[1].Median > 0)
            console.MarkupLine($"interpreter / jit (medians): [bold]{(double)results[0].Median / results[1].Median:0.0}x[/]");
    }

    static void WriteJson(List<Timing> results)
    {
        JsonOutput.Write(Console.Out, json =>
        {
            json.WriteStartArray();
            foreach (var t in results)
            {
                json.WriteStartObject();
                json.WriteString("engine", EngineOption.Name(t.Engine));
                json.WriteNumber("returnValue", t.ReturnValue);
                json.WriteNumber("runsPerSample", t.Repeat);
                json.WriteNumber("minNs", t.Min);
                json.WriteNumber("medianNs", t.Median);
                json.WriteNumber("maxNs", t.Max);
                json.WriteStartArray("samplesNs");
                foreach (var s in t.Samples) json.WriteNumberValue(s);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
    }
}
