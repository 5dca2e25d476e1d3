using System.CommandLine;
using System.Runtime.ExceptionServices;
using BpfSharp.Execution;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp run</c>: a program of a clang-built object (<c>run OBJ PROGRAM</c>, like <c>bpftool prog
/// run</c>), or a bpf_conformance <c>.data</c> file's program over its memory (<c>run FILE.data</c>).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var arguments = new RunArguments();
        var repeat = new Option<int>("--repeat") { Description = "run N times (context and packet carry over), report the average", DefaultValueFactory = _ => 1 };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var json = new Option<bool>("--json") { Description = "print one JSON object: return value, duration, data out, trace, maps" };
        var command = new Command("run", """
            run a program once or many times (as BPF_PROG_TEST_RUN) and print its return value

            examples:
              bpfsharp run examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink
              bpfsharp run examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink --engine jit --repeat 1000000 --json
              bpfsharp run ../shared/conformance/tests/add.data      (a .data file: r0 against its expected result)
            exit codes: 0 ran (and matched), 1 bad input, 2 a run-time error or a .data result that mismatches
            """);
        arguments.AddTo(command);
        foreach (var option in new Option[] { repeat, engine, json }) command.Options.Add(option);
        command.SetAction(parse => CliErrors.Guard(parse, () =>
        {
            var chosen = EngineOption.Parse(parse.GetValue(engine)!);
            var (path, isObject) = arguments.Input(parse);
            return isObject
                ? ObjectRun.Run(arguments.Read(parse, parse.GetValue(json), parse.GetValue(repeat), chosen), Console.Out)
                : RunDataFile(new FileInfo(path), chosen);
        }));
        return command;
    }

    static int RunDataFile(FileInfo input, ExecutionEngine engine)
    {
        var test = ConformanceTestFile.Load(input.FullName);
        if (test.IsSkipped) throw new BpfException($"{input.Name}: {test.SkipReason}");
        var run = DataFileRun.Execute(test, engine);
        if (run.Error is { } error && test.ExpectedError is null) ExceptionDispatchInfo.Throw(error);
        Console.WriteLine(run.Error is null
            ? $"r0 = {run.R0} (0x{run.R0:x}), {run.InstructionsExecuted} instructions executed"
            : $"error: {run.Error.Message}");
        Console.WriteLine(!run.Passed ? $"MISMATCH: {run.Comparison}"
            : test.ExpectedError is { } message ? $"fails as the file expects ({message})"
            : $"matches the expected result 0x{test.ExpectedResult:x}");
        return run.Passed ? 0 : CliErrors.RunTimeError;
    }
}
