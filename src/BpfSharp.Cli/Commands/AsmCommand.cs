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
        var command = new Command("asm", "assemble eBPF assembly (bpf_conformance dialect) into instruction bytes")
        {
            file, output,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var input = parse.GetValue(file)!;
            var text = File.ReadAllText(input.FullName);
            var code = input.Extension == ".data" ? ConformanceTestFile.Parse(text, input.Name).Program : Assembler.Assemble(text);
            var bytes = new byte[code.Length * Instruction.Size];
            for (var i = 0; i < code.Length; i++)
                code[i].Write(bytes.AsSpan(i * Instruction.Size));
            var target = parse.GetValue(output)?.FullName ?? Path.ChangeExtension(input.FullName, ".bin");
            File.WriteAllBytes(target, bytes);
            Console.WriteLine($"{code.Length} instructions ({bytes.Length} bytes) written to {target}");
            return 0;
        }));
        return command;
    }
}
