using System.CommandLine;
using BpfSharp.Execution;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp conformance</c>: every bpf_conformance <c>.data</c> file of the given directories and files
/// run in one process, each judged against its expected result, with the failures named and a count. One process
/// matters where starting .NET is slow, as under qemu-user, where the plugin protocol's process per test takes
/// seconds each.</summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = ".data files, or directories whose .data files run", Arity = ArgumentArity.OneOrMore };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var json = new Option<bool>("--json") { Description = "print one JSON object: engine, counts, and each test's outcome" };
        var command = new Command("conformance", """
            run a bpf_conformance suite's .data files in one process and count the passes

            examples:
              bpfsharp conformance ../shared/conformance/tests --engine jit
              bpfsharp conformance ../shared/conformance/tests/add.data ../shared/conformance/tests/div32-by-zero-reg.data --json
            exit codes: 0 every test passed, 1 bad input (no .data file found), 2 a test failed
            """);
        command.Arguments.Add(paths);
        command.Options.Add(engine);
        command.Options.Add(json);
        command.SetAction(parse => CliErrors.Guard(parse, () =>
            Execute(parse.GetValue(paths)!, EngineOption.Parse(parse.GetValue(engine)!), parse.GetValue(json), Console.Out)));
        return command;
    }

    static int Execute(string[] paths, ExecutionEngine engine, bool json, TextWriter stdout)
    {
        var files = paths.SelectMany(DataFiles).ToList();
        if (files.Count == 0) throw new BpfException($"no .data file in {string.Join(", ", paths)}");
        var outcomes = files.Select(file => Judge(file, engine)).ToList();
        var passed = outcomes.Count(o => o.Passed);
        var skipped = outcomes.Count(o => o.Skipped);
        var failed = outcomes.Count - passed - skipped;
        if (json)
            WriteJson(stdout, engine, outcomes, passed, failed, skipped);
        else
        {
            foreach (var outcome in outcomes.Where(o => !o.Passed && !o.Skipped))
                stdout.WriteLine($"FAIL {outcome.Name}: {outcome.Detail}");
            stdout.WriteLine($"{passed}/{outcomes.Count - skipped} passed on the {EngineOption.Name(engine)}" +
                (skipped > 0 ? $" ({skipped} skipped as the suite skips them: no result, no error or no instructions)" : ""));
        }
        return failed == 0 ? 0 : CliErrors.RunTimeError;
    }

    static IEnumerable<string> DataFiles(string path) =>
        Directory.Exists(path) ? Directory.GetFiles(path, "*.data").Order(StringComparer.Ordinal)
        : File.Exists(path) ? [path]
        : throw new BpfException($"{path}: no such file or directory");

    sealed record Outcome(string Name, bool Passed, bool Skipped, string Detail);

    static Outcome Judge(string path, ExecutionEngine engine)
    {
        var name = Path.GetFileName(path);
        ConformanceTestFile test;
        try { test = ConformanceTestFile.Load(path); }
        catch (BpfException e) { return new Outcome(name, false, false, $"cannot be read: {e.Message}"); }
        if (test.IsSkipped) return new Outcome(name, false, true, test.SkipReason!);
        var run = DataFileRun.Execute(test, engine);
        return new Outcome(name, run.Passed, false, run.Comparison);
    }

    static void WriteJson(TextWriter stdout, ExecutionEngine engine, List<Outcome> outcomes, int passed, int failed, int skipped) =>
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("engine", EngineOption.Name(engine));
            json.WriteNumber("passed", passed);
            json.WriteNumber("failed", failed);
            json.WriteNumber("skipped", skipped);
            json.WriteStartArray("tests");
            foreach (var outcome in outcomes)
            {
                json.WriteStartObject();
                json.WriteString("file", outcome.Name);
                json.WriteString("outcome", outcome.Skipped ? "skipped" : outcome.Passed ? "passed" : "failed");
                json.WriteString("detail", outcome.Detail);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
}
