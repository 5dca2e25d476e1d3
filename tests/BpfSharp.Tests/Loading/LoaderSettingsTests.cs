using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>What a loader sets between opening an object and loading it (libbpf's open → set → load): map sizes and
/// program types (tests/fixtures/loading/sizes.c and legacy_section.c, with the kernel's answers in their headers).</summary>
public class LoaderSettingsTests
{
    static string Fixture(string name) => Path.Combine(Requirements.FixturesDirectory, "loading", name);

    [Fact]
    public void A_perf_event_array_without_max_entries_gets_one_entry_per_cpu()
    {
        using var obj = BpfObject.Load(Fixture("sizes.o"));
        Assert.Equal((uint)ExecutionSlots.Count, obj.Maps["events"].MaxEntries);
    }

    [FactRequires(Requirement.Kernel)]
    public void Libbpf_gives_the_perf_event_array_the_possible_cpus()
    {
        using var kernel = KernelOracle.Load(Fixture("sizes.o"));
        var possible = File.ReadAllText("/sys/devices/system/cpu/possible").Trim().Split(',')
            .Sum(r => r.Split('-') is [var first, var last] ? int.Parse(last) - int.Parse(first) + 1 : 1);
        Assert.Equal(possible, kernel.MapInfo("events").MaxEntries);
        using var obj = BpfObject.Load(Fixture("sizes.o"));
        Assert.Equal((uint)kernel.MapInfo("events").MaxEntries, obj.Maps["events"].MaxEntries);
    }

    [Fact]
    public void Per_cpu_values_are_one_per_possible_cpu_whatever_cpus_the_process_may_use()
    {
        Skip.IfNot(File.Exists("/sys/devices/system/cpu/possible") && Requirements.OnPath("taskset"),
            "needs Linux's /sys/devices/system/cpu/possible and taskset (util-linux)");
        var possible = File.ReadAllText("/sys/devices/system/cpu/possible").Trim().Split(',')
            .Sum(r => r.Split('-') is [var first, var last] ? int.Parse(last) - int.Parse(first) + 1 : 1);
        // Allowed one CPU, bpfsharp still keeps a value for each possible CPU, as the kernel's per-CPU array does.
        var run = Requirements.Run("taskset", ["-c", "0", "dotnet", Cli.CliProcess.Dll, "run",
            Path.Combine(Requirements.FixturesDirectory, "maps", "percpu_array.o"), "pcpu_array_ops", "--json"]);
        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var value = json.RootElement.GetProperty("maps").GetProperty("pa")[0].GetProperty("value").GetString()!;
        Assert.Equal(possible * 8 * 2, value.Length);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void Max_entries_set_before_load_sizes_the_map(ExecutionEngine engine)
    {
        var run = new TestRunOptionsBuilder().Packet64() with { Engine = engine };
        using (var declared = BpfObject.Load(Fixture("sizes.o")))
            Assert.Equal(unchecked((uint)-7), declared.Programs["count_two"].Run(run).ReturnValue); // the kernel's: E2BIG on the second key
        using var resized = BpfObject.Load(Fixture("sizes.o"), new LoadOptions { MaxEntries = new Dictionary<string, uint> { ["counts"] = 2 } });
        Assert.Equal(2u, resized.Maps["counts"].MaxEntries);
        Assert.Equal(0u, resized.Programs["count_two"].Run(run).ReturnValue);
    }

    [Theory, MemberData(nameof(EngineTheories.Engines), MemberType = typeof(EngineTheories))]
    public void A_legacy_section_loads_as_the_type_the_loader_names(ExecutionEngine engine)
    {
        using var obj = BpfObject.Load(Fixture("legacy_section.o"),
            new LoadOptions { ProgramTypes = new Dictionary<string, ProgramType> { ["drop_long"] = ProgramType.Xdp } });
        var program = obj.Programs["drop_long"];
        Assert.Equal(ProgramType.Xdp, program.Type);
        Assert.True(program.IsVerified);
        Assert.Equal(1u, program.Run(new TestRunOptionsBuilder().Packet64() with { Engine = engine }).ReturnValue);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_runs_the_legacy_section_as_xdp_when_told()
    {
        using var kernel = KernelOracle.Load(Fixture("legacy_section.o"), "xdp");
        Assert.Equal(1u, kernel.Run("drop_long").ReturnValue);
    }
}
