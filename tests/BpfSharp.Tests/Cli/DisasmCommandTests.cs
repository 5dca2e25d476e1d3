using System.Text.RegularExpressions;
using BpfSharp.Cli.Commands;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public partial class DisasmCommandTests
{
    static (int ExitCode, string Stdout, string Stderr) Run(string path, string? section = null, bool colour = false)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exitCode = DisasmCommand.Run(path, section, stdout, stderr, colour);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void An_object_is_listed_as_llvm_objdump_19_lists_it()
    {
        var path = Fixtures.PathOf("calls.o");
        var (exitCode, stdout, stderr) = Run(path);
        Assert.Equal((0, ""), (exitCode, stderr));
        Assert.Equal(File.ReadAllText(Fixtures.PathOf("calls.objdump")).Replace("calls.o:", path + ":"), stdout);
    }

    [Fact]
    public void Json_has_each_instruction_with_its_section_symbol_bytes_and_llvm_objdumps_text()
    {
        // calls.objdump is llvm-objdump-19's listing of the same object.
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, DisasmCommand.Run(Fixtures.PathOf("calls.o"), null, stdout, stderr, colour: false, json: true));
        using var doc = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        var lines = doc.RootElement.GetProperty("lines").EnumerateArray().ToList();
        var first = lines[0];
        Assert.Equal((".text", "sum_of_squares", 0, "bc26000000000000", "w6 = w2"), (first.GetProperty("section").GetString(),
            first.GetProperty("symbol").GetString(), first.GetProperty("index").GetInt32(), first.GetProperty("bytes").GetString(),
            first.GetProperty("text").GetString()));
        var lddw = lines.Single(l => l.GetProperty("symbol").GetString() == "dispatch" && l.GetProperty("index").GetInt32() == 8);
        Assert.Equal(("18020000000000000000000000000000", "r2 = 0x0 ll"), (lddw.GetProperty("bytes").GetString(), lddw.GetProperty("text").GetString()));
        var listed = File.ReadAllLines(Fixtures.PathOf("calls.objdump")).Count(l => Regex.IsMatch(l, @"^\s+\d+:\t"));
        Assert.Equal(listed, lines.Count);
    }

    [Fact]
    public void One_section_can_be_chosen()
    {
        var (exitCode, stdout, _) = Run(Fixtures.PathOf("calls.o"), "tc");
        Assert.Equal(0, exitCode);
        Assert.Contains("Disassembly of section tc:", stdout);
        Assert.DoesNotContain("Disassembly of section .text:", stdout);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_read_as_raw_instructions()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xb7, 0, 0, 0, 0xfe, 0xca, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
            Assert.Equal((0, "       0:\tb7 00 00 00 fe ca 00 00\tr0 = 0xcafe\n       1:\t95 00 00 00 00 00 00 00\texit\n", ""), Run(path));
            var (exitCode, _, stderr) = Run(path, "tc");
            Assert.Equal(1, exitCode);
            Assert.Contains("--section needs an ELF object", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Colour_changes_nothing_but_the_escape_sequences()
    {
        var (exitCode, coloured, _) = Run(Fixtures.PathOf("symbols.o"), colour: true);
        Assert.Equal(0, exitCode);
        Assert.Contains("\e[", coloured);
        Assert.Equal(Run(Fixtures.PathOf("symbols.o")).Stdout, AnsiEscape().Replace(coloured, ""));
    }

    [Fact]
    public void A_malformed_object_is_one_line_on_stderr_and_exit_code_1()
    {
        var bytes = Fixtures.Bytes("calls.o");
        bytes[18] = 62; // e_machine = EM_X86_64
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            var (exitCode, stdout, stderr) = Run(path);
            Assert.Equal((1, ""), (exitCode, stdout));
            Assert.Equal($"bpfsharp disasm: {path}: file offset 0x12: object is for EM_X86_64 (62), not EM_BPF (247): " +
                         "compile with clang -target bpf\n", stderr.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_files_and_sections_are_errors()
    {
        var (exitCode, _, stderr) = Run("/nonexistent/x.o");
        Assert.Equal(1, exitCode);
        Assert.StartsWith("bpfsharp disasm: ", stderr);
        (exitCode, _, stderr) = Run(Fixtures.PathOf("calls.o"), "nosuch");
        Assert.Equal(1, exitCode);
        Assert.Contains("has no section 'nosuch' (its code is in .text, tc)", stderr);
    }

    [Fact]
    public void The_command_is_registered_and_parses_its_arguments()
    {
        var path = Fixtures.PathOf("calls.o");
        Assert.Equal(0, BpfSharp.Cli.Program.Main(["disasm", path, "--section", "tc"]));
        Assert.Equal(1, BpfSharp.Cli.Program.Main(["disasm", path, "-j", "nosuch"]));
    }

    [GeneratedRegex("\e\\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
