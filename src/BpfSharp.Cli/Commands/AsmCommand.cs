using System.CommandLine;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp asm FILE</c>: assembles the conformance suite's dialect (a <c>.data</c> file's program, or
/// plain assembly text) into raw little-endian instruction bytes.</summary>
internal static class AsmCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "assembly text, or a bpf_conformance .data file" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "where to write the bytes (default: FILE with extension .bin)" };
        var json = new Option<bool>("--json") { Description = "say what was written as JSON: the file, the instruction and byte counts" };
        var command = new Command("asm", """
            assemble eBPF assembly (the bpf_conformance dialect) into raw instruction bytes

            examples:
              bpfsharp asm ../shared/conformance/tests/add.data -o add.bin
              bpfsharp disasm add.bin
            exit codes: 0 written, 1 bad input (the line and what is wrong with it)
            """)
        {
            file, output, json,
        };
        command.SetAction(parse => CliErrors.Guard(parse, () =>
        {
            var input = parse.GetValue(file)!;
            var text = File.ReadAllText(input.FullName);
            var code = input.Extension == ".data" ? ConformanceTestFile.Parse(text, input.Name).Program : Assembler.Assemble(text);
            var bytes = new byte[code.Length * Instruction.Size];
            for (var i = 0; i < code.Length; i++)
                code[i].Write(bytes.AsSpan(i * Instruction.Size));
            var target = parse.GetValue(output)?.FullName ?? Path.ChangeExtension(input.FullName, ".bin");
            File.WriteAllBytes(target, bytes);
            if (parse.GetValue(json))
                JsonOutput.Write(Console.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("output", target);
                    w.WriteNumber("instructions", code.Length);
                    w.WriteNumber("bytes", bytes.Length);
                    w.WriteEndObject();
                });
            else
                Console.WriteLine($"{code.Length} instructions ({bytes.Length} bytes) written to {target}");
            return 0;
        }));
        return command;
    }
}
