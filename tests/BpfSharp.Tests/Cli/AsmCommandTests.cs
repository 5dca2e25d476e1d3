using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public class AsmCommandTests
{
    [Fact]
    public void Writes_the_instruction_bytes_of_assembly_text()
    {
        var dir = Directory.CreateTempSubdirectory();
        var source = Path.Combine(dir.FullName, "p.s");
        File.WriteAllText(source, "mov %r0, 0xcafe\nexit\n");
        var (exit, stdout, _) = CliProcess.Run(["asm", source]);
        Assert.Equal(0, exit);
        Assert.Contains("2 instructions (16 bytes)", stdout);
        // RFC 9669: mov64 imm is 0xb7, exit 0x95.
        Assert.Equal("b7000000feca00009500000000000000", Convert.ToHexStringLower(File.ReadAllBytes(Path.ChangeExtension(source, ".bin"))));
    }

    [Fact]
    public void Json_says_what_was_written()
    {
        var dir = Directory.CreateTempSubdirectory();
        var source = Path.Combine(dir.FullName, "p.s");
        File.WriteAllText(source, "lddw %r0, 0x123456789\nexit\n");
        var (exit, stdout, _) = CliProcess.Run(["asm", source, "--json"]);
        Assert.Equal(0, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        // lddw takes two slots.
        Assert.Equal((3, 24), (doc.RootElement.GetProperty("instructions").GetInt32(), doc.RootElement.GetProperty("bytes").GetInt32()));
        Assert.Equal(Path.ChangeExtension(source, ".bin"), doc.RootElement.GetProperty("output").GetString());
    }

    [Fact]
    public void A_bad_register_is_one_line_on_stderr_and_exit_1()
    {
        var dir = Directory.CreateTempSubdirectory();
        var source = Path.Combine(dir.FullName, "bad.s");
        File.WriteAllText(source, "mov %r0, 1\nor %r0, %r50\nexit\n");
        var (exit, _, stderr) = CliProcess.Run(["asm", source]);
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: Invalid register: %r50 (line 2)", stderr.Trim());
    }
}
