using System.CommandLine;
using BpfSharp.Cli.Tracing;
using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp trace OBJ PROGRAM [run options]</c>: runs a program as <c>run</c> does, on the interpreter,
/// recording every instruction and frame, and shows it: a tree of frames with each instruction (disassembly, source
/// line, registers changed), calls, tail calls (the frame they replace, the map slot, the count), failed tail calls
/// and why, helper calls and returns; or JSON; and a diagram of frames against time (SVG, HTML). Exit 0 when the
/// program ran to its exit, 1 on bad input, 2 when it stopped with a run-time error (the trace up to it is shown).</summary>
internal static class TraceCommand
{
    /// <summary>Instructions shown when --limit is not given.</summary>
    public const int DefaultLimit = 2000;

    public static Command Create()
    {
        var arguments = new RunArguments();
        var limit = new Option<int>("--limit") { Description = $"instructions shown; the rest are counted (default {DefaultLimit})", DefaultValueFactory = _ => DefaultLimit };
        var json = new Option<bool>("--json") { Description = "print one JSON object: result, frames, and every entry (instructions, calls, returns, tail calls, helper calls)" };
        var svg = new Option<string?>("--svg") { Description = "write the diagram of frames against time to FILE as SVG" };
        var html = new Option<string?>("--html") { Description = "write the diagram and the trace to FILE as an HTML page" };
        var command = new Command("trace", """
            run a program on the interpreter and show every instruction, frame, call, tail call and helper call

            examples:
              bpfsharp trace examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink
              bpfsharp trace examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink --svg server2.svg
              bpfsharp trace examples/fib/fib.o fib_recursive --json
            exit codes: 0 it ran, 1 bad input, 2 it stopped with a run-time error (traced up to the failing instruction)
            """);
        arguments.AddTo(command);
        foreach (var option in new Option[] { limit, json, svg, html }) command.Options.Add(option);
        command.SetAction(parse => CliErrors.Guard(parse, () =>
        {
            var (path, isObject) = arguments.Input(parse);
            var output = new Output(parse.GetValue(limit), parse.GetValue(json), parse.GetValue(svg), parse.GetValue(html),
                Colour: !Terminal.IsPlain);
            return isObject
                ? Run(arguments.Read(parse, output.Json), output, Console.Out, Console.Error)
                : RunDataFile(path, output, Console.Out, Console.Error);
        }));
        return command;
    }

    /// <summary>What to show and where.</summary>
    /// <param name="Colour">Colours in the terminal form (stdout is a terminal).</param>
    internal sealed record Output(int Limit, bool Json, string? Svg, string? Html, bool Colour = false);

    /// <summary>Traces a program of an object (with the run options) and renders it; returns the exit code.</summary>
    internal static int Run(ObjectRun.Options run, Output output, TextWriter stdout, TextWriter stderr)
    {
        var recorder = Recorder(output);
        var (obj, program, dataIn) = ObjectRun.Prepare(run);
        using (obj)
        {
            var error = Catch(() => program.Run(ObjectRun.RunOptions(run, dataIn) with { Repeat = 1, Tracer = recorder }));
            return Render(recorder, TraceSymbols.Of(obj), program.Name, error, output, stdout, stderr);
        }
    }

    /// <summary>Traces a bpf_conformance .data file's program over its memory.</summary>
    internal static int RunDataFile(string path, Output output, TextWriter stdout, TextWriter stderr)
    {
        var recorder = Recorder(output);
        var test = ConformanceTestFile.Load(path);
        if (test.IsSkipped) throw new BpfException($"{Path.GetFileName(path)}: {test.SkipReason}");
        using var invocation = new Invocation(StandardHelpers.Create());
        var name = Path.GetFileName(path);
        var error = Catch(() => RawExecution.Trace(new ExecutableProgram(name, test.Program), test.Memory, invocation, recorder));
        return Render(recorder, TraceSymbols.Bare(invocation.Helpers), name, error, output, stdout, stderr);
    }

    static TraceRecorder Recorder(Output output) => output.Limit >= 0
        ? new TraceRecorder(output.Limit)
        : throw new BpfException($"--limit {output.Limit}: the number of instructions shown cannot be negative");

    /// <summary>Runs; a run-time error ends the run but not the trace, which shows everything up to it.</summary>
    static string? Catch(Action run)
    {
        try
        {
            run();
            return null;
        }
        catch (BpfRuntimeException e)
        {
            return e.Message;
        }
    }

    static int Render(TraceRecorder recorder, TraceSymbols symbols, string program, string? error, Output output, TextWriter stdout, TextWriter stderr)
    {
        var text = new TraceText(recorder, symbols);
        var summary = text.Summary(program, error);
        if (output.Json) TraceJson.Write(stdout, recorder, text, program, error);
        else Wide(stdout, output.Colour).Write(TraceTree.Build(recorder, text, summary, output.Limit, error));
        if (output.Svg is not null || output.Html is not null)
        {
            var svg = TraceSvg.Draw(TraceDiagram.Lay(recorder, text), summary,
                "time runs down · a box is a frame on its depth's lane · ⚡ a tail call replaces the frame · arrows: calls and returns with r0");
            if (output.Svg is not null) File.WriteAllText(output.Svg, svg.ToString());
            if (output.Html is not null)
            {
                var plain = new StringWriter();
                Wide(plain, colour: false).Write(TraceTree.Build(recorder, text, summary, output.Limit, error));
                File.WriteAllText(output.Html, TraceHtml.Page(summary, svg, plain.ToString()));
            }
        }
        if (error is null) return 0;
        stderr.WriteLine($"bpfsharp: {error}");
        return 2;
    }

    /// <summary>A console on <paramref name="writer"/> wide enough that no line of the tree wraps.</summary>
    static IAnsiConsole Wide(TextWriter writer, bool colour)
    {
        var console = Terminal.Create(writer, plain: !colour);
        console.Profile.Width = 100_000;
        return console;
    }
}
