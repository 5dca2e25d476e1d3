using System.CommandLine;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp run FILE.data</c>: runs a bpf_conformance test file's program over its memory and prints r0,
/// checked against the file's expected result.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a bpf_conformance .data file" };
        var command = new Command("run", "run a program and print its return value") { file };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var input = parse.GetValue(file)!;
            var test = ConformanceTestFile.Load(input.FullName);
            if (test.IsSkipped) throw new BpfException($"{input.Name}: {test.SkipReason}");
            using var invocation = new Invocation(StandardHelpers.Create());
            var r0 = RawExecution.Run(new ExecutableProgram(input.Name, test.Program), test.Memory, invocation);
            Console.WriteLine($"r0 = {r0} (0x{r0:x}), {invocation.InstructionsExecuted} instructions executed");
            if (test.ExpectedResult is not { } expected) return 0;
            Console.WriteLine(r0 == expected ? $"matches the expected result 0x{expected:x}" : $"MISMATCH: expected 0x{expected:x}");
            return r0 == expected ? 0 : 2;
        }));
        return command;
    }
}
