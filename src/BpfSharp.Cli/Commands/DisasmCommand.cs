using System.CommandLine;
using BpfSharp.Elf;
using BpfSharp.Isa;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp disasm FILE [--section S]</c>: llvm-objdump-19 -d's listing of an ELF object (every
/// executable section, or one section) or of raw instruction bytes, coloured when stdout is a terminal.</summary>
internal static class DisasmCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "a BPF ELF object (clang -target bpf -c), or raw instruction bytes" };
        var section = new Option<string?>("--section", "-j") { Description = "list only this section, executable or not (as llvm-objdump -j)" };
        var json = new Option<bool>("--json") { Description = "one JSON entry per instruction: section, symbol, index, bytes, text" };
        var command = new Command("disasm", """
            disassemble BPF code exactly as llvm-objdump-19 -d prints it

            examples:
              bpfsharp disasm examples/drinks/drinks.o
              bpfsharp disasm examples/drinks/drinks.o -j tc --json
              bpfsharp disasm add.bin            (raw instruction bytes, as bpfsharp asm writes them)
            exit codes: 0 listed, 1 bad input (a malformed object or instruction, named)
            """);
        command.Arguments.Add(file);
        command.Options.Add(section);
        command.Options.Add(json);
        command.SetAction(parse => CliErrors.Guard(parse, () => Run(parse.GetValue(file)!, parse.GetValue(section), Console.Out, Console.Error,
            colour: !Console.IsOutputRedirected, parse.GetValue(json))));
        return command;
    }

    /// <summary>Does the work with the streams given, so tests can run it; returns the exit code.</summary>
    internal static int Run(string path, string? section, TextWriter stdout, TextWriter stderr, bool colour, bool json = false)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var structured = json ? new DisassemblyJson() : null;
            DisassemblyOutput output = structured is not null ? structured : colour ? new ColouredOutput(stdout) : new PlainOutput(stdout);
            if (ObjectFile.HasElfMagic(bytes))
            {
                var obj = ObjectFile.Read(bytes);
                if (section is not null && obj.FindSection(section) is null)
                    return Fail(stderr, $"{path} has no section '{section}' (its code is in " +
                        $"{string.Join(", ", obj.Sections.Where(s => s.IsExecutable && s.Size > 0).Select(s => s.Name))})");
                ObjectDisassembler.Disassemble(obj, path, output, section is null ? null : [section]);
            }
            else if (section is not null)
            {
                return Fail(stderr, $"--section needs an ELF object, and {path} is not one (no ELF magic): it would be read as raw instructions");
            }
            else
            {
                Disassembler.Disassemble(bytes, output);
            }
            structured?.WriteTo(stdout, path);
            stdout.Flush();
            return 0;
        }
        catch (ObjectFormatException e)
        {
            return Fail(stderr, $"{path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, e.Message);
        }
    }

    static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"bpfsharp disasm: {message}");
        return 1;
    }

    sealed class PlainOutput(TextWriter writer) : DisassemblyOutput
    {
        public override void Write(ReadOnlySpan<char> text, TextKind kind) => writer.Write(text);
    }

    /// <summary>Colours pieces by kind through Spectre.Console. Pieces are gathered into a paragraph and written a
    /// line at a time, with a console width no line reaches so that nothing wraps.</summary>
    sealed class ColouredOutput : DisassemblyOutput
    {
        readonly IAnsiConsole console;
        Paragraph line = new();

        public ColouredOutput(TextWriter writer)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Yes,
                ColorSystem = ColorSystemSupport.Standard,
                Out = new AnsiConsoleOutput(writer),
            });
            console.Profile.Width = 100_000;
        }

        public override void Write(ReadOnlySpan<char> text, TextKind kind)
        {
            if (text is "\n")
            {
                console.Write(line);
                console.WriteLine();
                line = new Paragraph();
                return;
            }
            line.Append(text.ToString(), DisassemblyStyles.Of(kind));
        }
    }
}
