using System.CommandLine;
using System.Globalization;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp conformance-plugin</c>: the bpf_conformance plugin protocol (FORMAT.md): input memory as hex
/// in the first argument, the program as hex on stdin, r0 printed in hex, exit 0; on error a message and exit 1.</summary>
internal static class ConformancePluginCommand
{
    public static Command Create()
    {
        var memory = new Argument<string?>("memory") { Description = "input memory as hex bytes (\"aa  bb  \")", Arity = ArgumentArity.ZeroOrOne };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var elf = new Option<bool>("--elf") { Description = "stdin holds an ELF object instead of raw instructions (not supported yet)" };
        var command = new Command("conformance-plugin", """
            run one bpf_conformance test: program hex on stdin, r0 in hex on stdout (the suite's plugin protocol, so no --json)

            examples:
              bpfsharp conformance-plugin "01 02" --engine jit < program.hex
              echo "b7 00 00 00 03 00 00 00 95 00 00 00 00 00 00 00" | bpfsharp conformance-plugin ""      (prints 3)
              bpf_conformance_runner --test_file_directory tests --plugin_path bpfsharp --plugin_options "conformance-plugin --engine jit"
            exit codes: 0 r0 printed, 1 an error (one line: the instruction and what is wrong)
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(memory);
        command.Options.Add(engine);
        command.Options.Add(elf);
        command.SetAction(parse => Execute(parse.GetValue(memory), parse.GetValue(engine)!, parse.GetValue(elf),
            Console.In, Console.Out, Console.Error));
        return command;
    }

    /// <summary>The whole protocol, with the streams passed in so tests can drive it without a process.</summary>
    public static int Execute(string? memoryHex, string engine, bool elf, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var chosen = EngineOption.Parse(engine);
            if (elf)
                throw new BpfException("--elf input is not supported yet; send raw instructions");
            var code = InstructionDecoder.Decode(Hex.Parse(stdin.ReadToEnd(), "program"));
            var memory = Hex.Parse(memoryHex ?? "", "memory");
            var program = new ExecutableProgram("main", code);
            using var invocation = new Invocation(StandardHelpers.Create());
            var r0 = RawExecution.Run(program, memory, invocation, chosen);
            stdout.WriteLine(r0.ToString("x", CultureInfo.InvariantCulture));
            return 0;
        }
        catch (BpfException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
    }
}
