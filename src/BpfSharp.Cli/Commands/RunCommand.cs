using System.CommandLine;
using BpfSharp.Elf;
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
        var file = new Argument<FileInfo>("file") { Description = "a BPF ELF object, or a bpf_conformance .data file" };
        var program = new Argument<string?>("program") { Description = "the program (function name or section) in the object", Arity = ArgumentArity.ZeroOrOne };
        var dataIn = new Option<string?>("--data-in") { Description = "file with the packet (data_in); default 64 zero bytes for packet programs" };
        var ctxIn = new Option<string?>("--ctx-in") { Description = "file with the context (ctx_in)" };
        var repeat = new Option<int>("--repeat") { Description = "run N times (context and packet carry over), report the average", DefaultValueFactory = _ => 1 };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var tailCall = new Option<string[]>("--tail-call") { Description = "MAP:INDEX=PROGRAM: put PROGRAM in a program array slot (repeatable)" };
        var setGlobal = new Option<string[]>("--set-global") { Description = "MAP:OFFSET=HEXBYTES: write bytes into global data, MAP being e.g. .bss (repeatable)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object: return value, duration, data out, trace, maps" };
        var command = new Command("run", "run a program and print its return value")
        {
            file, program, dataIn, ctxIn, repeat, engine, tailCall, setGlobal, json,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var input = parse.GetValue(file)!;
            var chosen = EngineOption.Parse(parse.GetValue(engine)!);
            if (ObjectFile.HasElfMagic(File.ReadAllBytes(input.FullName).AsSpan(0, Math.Min(4, (int)input.Length))))
            {
                var name = parse.GetValue(program) ?? throw new BpfException($"{input.Name} is an object: say which program to run");
                return ObjectRun.Run(new ObjectRun.Options(input.FullName, name, parse.GetValue(dataIn), parse.GetValue(ctxIn),
                    parse.GetValue(repeat), parse.GetValue(tailCall) ?? [], parse.GetValue(setGlobal) ?? [], parse.GetValue(json), chosen), Console.Out);
            }
            return RunDataFile(input, chosen);
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
