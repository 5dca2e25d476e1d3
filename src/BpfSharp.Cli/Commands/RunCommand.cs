using System.CommandLine;
using BpfSharp.Execution;
using BpfSharp.Helpers;
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
        using var invocation = new Invocation(StandardHelpers.Create());
        var r0 = RawExecution.Run(new ExecutableProgram(input.Name, test.Program), test.Memory, invocation, engine);
        Console.WriteLine($"r0 = {r0} (0x{r0:x}), {invocation.InstructionsExecuted} instructions executed");
        if (test.ExpectedResult is not { } expected) return 0;
        Console.WriteLine(r0 == expected ? $"matches the expected result 0x{expected:x}" : $"MISMATCH: expected 0x{expected:x}");
        return r0 == expected ? 0 : 2;
    }
}
