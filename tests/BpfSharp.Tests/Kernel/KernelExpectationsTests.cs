using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Kernel;

/// <summary>tests/fixtures/kernel-expectations.json stays what the kernel answers and what KernelFixtureTests states.
/// <c>tests/fixtures/record-kernel-expectations.sh</c> rewrites it from the running kernel.</summary>
public class KernelExpectationsTests
{
    /// <summary>Set by record-kernel-expectations.sh: write the file instead of comparing with it.</summary>
    const string RecordVariable = "BPFSHARP_RECORD_KERNEL_EXPECTATIONS";

    [Fact]
    public void The_committed_file_holds_every_scenario_with_the_answers_KernelFixtureTests_states()
    {
        var recorded = KernelExpectations.Read(File.ReadAllText(KernelExpectations.FilePath));
        Assert.Equal(KernelFixtureTests.All.Select(s => s.Name), recorded.Select(s => s.Name));
        foreach (var (stated, kernel) in KernelFixtureTests.All.Zip(recorded))
            Assert.Equal(KernelExpectations.Json(stated), KernelExpectations.Json(kernel));
    }

    [Fact]
    public void Every_fixture_object_has_a_scenario()
    {
        var covered = KernelFixtureTests.All.Select(s => s.Object).ToHashSet();
        var objects = new[] { "tailcalls", "maps", "core", "testrun", "helpers" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(Requirements.FixturesDirectory, d), "*.o"))
            .Select(p => Path.GetRelativePath(Requirements.FixturesDirectory, p).Replace('\\', '/'));
        Assert.All(objects, o => Assert.Contains(o, covered));
    }

    [Fact]
    public void Every_map_kind_fixture_is_there()
    {
        string[] kinds = ["array", "hash", "percpu_array", "percpu_hash", "lru_hash", "lru_percpu_hash", "prog_array", "ringbuf",
            "perf_event_array", "queue", "stack", "lpm_trie", "bloom_filter", "array_of_maps", "hash_of_maps"];
        Assert.All(kinds, k => Assert.Contains(KernelFixtureTests.All, s => s.Object == $"maps/{k}.o"));
    }

    [Fact]
    public void Written_scenarios_read_back_the_same()
    {
        var text = KernelExpectations.Write(KernelFixtureTests.All, new Dictionary<string, string> { ["kernel"] = "test" });
        Assert.Equal(KernelFixtureTests.All.Select(KernelExpectations.Json), KernelExpectations.Read(text).Select(KernelExpectations.Json));
        Assert.Contains("\"op\": \"setSlot\"", text);
    }

    [FactRequires(Requirement.Kernel)]
    public void The_kernel_gives_the_committed_answers_now()
    {
        var observed = KernelFixtureTests.All.Select(ScenarioRunner.Observe).ToList();
        if (Environment.GetEnvironmentVariable(RecordVariable) == "1")
        {
            File.WriteAllText(KernelExpectations.FilePath, KernelExpectations.Write(observed, KernelExpectations.ThisMachine()));
            return;
        }
        var recorded = KernelExpectations.Read(File.ReadAllText(KernelExpectations.FilePath));
        Assert.Equal(recorded.Select(KernelExpectations.Json), observed.Select(KernelExpectations.Json));
    }
}
