using System.Text.Json;
using BpfSharp.Cli;
using BpfSharp.Execution;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary>What every command shares: help with examples, one-line errors and their exit codes, --verbose.</summary>
public class CommandLineTests
{
    public static TheoryData<string> Commands =>
        ["asm", "bench", "chain", "conformance", "conformance-plugin", "disasm", "fuzz", "maps", "pcap", "run", "syscalls", "trace", "verify"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_commands_help_has_examples_and_its_exit_codes(string command)
    {
        var (exit, stdout, _) = CliProcess.Run([command, "--help"]);
        Assert.Equal(0, exit);
        Assert.Matches($@"examples:\n\s+bpfsharp {command} ", stdout);
        Assert.Contains("exit codes: 0 ", stdout);
    }

    [Fact]
    public void An_error_is_one_line_and_verbose_adds_the_stack_trace()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-object.o");
        var (exit, _, stderr) = CliProcess.Run(["verify", missing]);
        Assert.Equal(1, exit);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("bpfsharp: ", stderr);
        var (verboseExit, _, verbose) = CliProcess.Run(["verify", missing, "--verbose"]);
        Assert.Equal(1, verboseExit);
        Assert.StartsWith(stderr, verbose);
        Assert.Contains("   at ", verbose);
    }

    [Fact]
    public void A_run_time_error_exits_2_and_anything_unexpected_exits_3_as_a_bug()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, CliErrors.Guard(() => throw new BpfRuntimeException("p", 4, "invalid read"), verbose: false, stderr));
        Assert.Equal(3, CliErrors.Guard(() => throw new InvalidOperationException("boom"), verbose: false, stderr));
        Assert.Equal("bpfsharp: p: insn 4: invalid read\n" +
            "bpfsharp: internal error (InvalidOperationException): boom; --verbose prints the stack trace for a bug report\n", stderr.ToString());
    }

    [Fact]
    public void Maps_json_lists_each_map_as_libbpf_would_create_it()
    {
        // drinks.c: bar is a BPF_MAP_TYPE_PROG_ARRAY with one u32 -> u32 slot.
        var (exit, stdout, _) = CliProcess.Run(["maps", Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o"), "--json"]);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var bar = doc.RootElement.GetProperty("maps").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "bar");
        Assert.Equal(("ProgArray", 4, 4, 1, ".maps"), (bar.GetProperty("type").GetString(), bar.GetProperty("keySize").GetInt32(),
            bar.GetProperty("valueSize").GetInt32(), bar.GetProperty("maxEntries").GetInt32(), bar.GetProperty("section").GetString()));
    }
}
