using System.Text.Json;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

public class RunCommandTests
{
    static string Fixture(params string[] parts) => Path.Combine([Requirements.FixturesDirectory, .. parts]);

    [Fact]
    public void Runs_the_shipped_example_and_reports_the_match()
    {
        var (exit, stdout, _) = CliProcess.Run(["run", Path.Combine(Requirements.RepositoryRoot, "examples", "conformance", "add.data")]);
        Assert.Equal(0, exit);
        Assert.Equal("r0 = 3 (0x3), 7 instructions executed\nmatches the expected result 0x3\n", stdout);
    }

    [FactRequires(Requirement.Shared)]
    public void A_tail_call_option_fills_the_slot_and_server2_returns_cafe()
    {
        var (exit, stdout, stderr) = CliProcess.Run(["run", Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o"), "server2",
            "--tail-call", "bar:0=serve_drink"]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.StartsWith("server2: return value 51966 (0xcafe), ", stdout);
        Assert.Contains(", 1 tail calls", stdout);
    }

    [FactRequires(Requirement.Shared)]
    public void The_jit_engine_gives_the_same_answer_as_the_interpreter()
    {
        var (exit, stdout, stderr) = CliProcess.Run(["run", Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o"), "server2",
            "--tail-call", "bar:0=serve_drink", "--engine", "jit"]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.StartsWith("server2: return value 51966 (0xcafe), ", stdout);
        var (dataExit, dataOut, _) = CliProcess.Run(["run", Path.Combine(Requirements.RepositoryRoot, "examples", "conformance", "add.data"), "--engine", "jit"]);
        Assert.Equal(0, dataExit);
        Assert.Equal("r0 = 3 (0x3), 7 instructions executed\nmatches the expected result 0x3\n", dataOut);
    }

    [Fact]
    public void A_raw_tracepoint_program_takes_its_arguments_from_ctx_in_and_no_packet()
    {
        using var arguments = new ScratchFile(".ctx");
        File.WriteAllBytes(arguments.Path, [3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
        var (exit, stdout, stderr) = CliProcess.Run(["run", Fixture("testrun", "raw_tp.o"), "sum_two", "--ctx-in", arguments.Path]);
        Assert.Equal(("", 0), (stderr, exit));
        Assert.StartsWith("sum_two: return value 7 (0x7), ", stdout);
        File.WriteAllBytes(arguments.Path, [3, 0, 0, 0, 0, 0, 0, 0]);
        (exit, _, stderr) = CliProcess.Run(["run", Fixture("testrun", "raw_tp.o"), "sum_two", "--ctx-in", arguments.Path]);
        Assert.Equal((1, "bpfsharp: ctx_in is 8 bytes, but the program reads its arguments up to byte 16\n"), (exit, stderr));
    }

    [Fact]
    public void No_verify_runs_a_program_the_verifier_refuses_bounds_checked()
    {
        // fib_recursive's call graph is 9 frames deep, one more than the verifier allows; a run stays within 8.
        var tooDeep = Path.Combine(Requirements.RepositoryRoot, "examples", "fib", "fib_too_deep.o");
        var (exit, _, stderr) = CliProcess.Run(["run", tooDeep, "fib_recursive"]);
        Assert.Equal((1, "bpfsharp: fib_recursive: insn 153 (./fib.c:40:1): the call stack of 9 frames is too deep\n"), (exit, stderr));
        (exit, var stdout, stderr) = CliProcess.Run(["run", tooDeep, "fib_recursive", "--no-verify"]);
        Assert.Equal(("", 0), (stderr, exit));
        Assert.StartsWith("fib_recursive: return value 13 (0xd), ", stdout);
    }

    [Fact]
    public void An_unknown_engine_is_refused_by_name()
    {
        var (exit, _, stderr) = CliProcess.Run(["run", Path.Combine(Requirements.RepositoryRoot, "examples", "conformance", "add.data"), "--engine", "fast"]);
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: engine 'fast' is not one of: interpreter, jit\n", stderr);
    }

    [Fact]
    public void Json_output_has_the_return_value_and_every_global_data_map()
    {
        // globals.c: bump() adds .data's step to .bss's hits, increments step, returns hits * .rodata's scale (3).
        var (exit, stdout, _) = CliProcess.Run(["run", Fixture("tailcalls", "globals.o"), "bump", "--json", "--set-global", ".data:0=64000000"]);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("bump", doc.RootElement.GetProperty("program").GetString());
        Assert.Equal(300, doc.RootElement.GetProperty("returnValue").GetInt32());
        var maps = doc.RootElement.GetProperty("maps");
        Assert.Equal("6400000000000000", maps.GetProperty("globals.bss")[0].GetProperty("value").GetString());
        Assert.Equal("65000000", maps.GetProperty("globals.data")[0].GetProperty("value").GetString());
    }

    [Fact]
    public void An_unknown_program_is_one_line_naming_the_ones_there_are()
    {
        var (exit, _, stderr) = CliProcess.Run(["run", Fixture("tailcalls", "globals.o"), "nope"]);
        Assert.Equal(1, exit);
        Assert.EndsWith("has no program 'nope' (it has bump)\n", stderr);
    }

    [Fact]
    public void Maps_lists_static_program_array_slots()
    {
        var (exit, stdout, _) = CliProcess.Run(["maps", Fixture("tailcalls", "static_init.o")]);
        Assert.Equal(0, exit);
        Assert.Contains("ProgArray", stdout);
        Assert.Contains("[0] =", stdout);
    }

    [Fact]
    public void Max_entries_and_program_types_are_set_before_load()
    {
        // sizes.c: the second key of a 1-entry hash fails with E2BIG (-7, the kernel's answer) unless it has room.
        var (exit, stdout, _) = CliProcess.Run(["run", Fixture("loading", "sizes.o"), "count_two", "--json", "--max-entries", "counts=2"]);
        Assert.Equal(0, exit);
        Assert.Equal(0u, JsonDocument.Parse(stdout).RootElement.GetProperty("returnValue").GetUInt32());
        (exit, stdout, _) = CliProcess.Run(["run", Fixture("loading", "legacy_section.o"), "drop_long", "--json", "--program-type", "xdp"]);
        Assert.Equal(0, exit);
        Assert.Equal(1u, JsonDocument.Parse(stdout).RootElement.GetProperty("returnValue").GetUInt32()); // XDP_DROP, as the kernel
    }
}
