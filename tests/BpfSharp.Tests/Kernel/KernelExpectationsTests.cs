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
            Assert.Equal($"{stated.Name}: {KernelExpectations.Json(stated)}", $"{kernel.Name}: {KernelExpectations.Json(kernel)}");
    }

    [Fact]
    public void Every_fixture_object_has_a_scenario()
    {
        var covered = KernelFixtureTests.All.Select(s => s.Object).ToHashSet();
        var objects = new[] { "tailcalls", "maps", "core", "testrun", "helpers", "instructions" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(Requirements.FixturesDirectory, d), "*.o"))
            .Select(p => Path.GetRelativePath(Requirements.FixturesDirectory, p).Replace('\\', '/'));
        Assert.All(objects, o => Assert.Contains(o, covered));
    }

    [Fact]
    public void Every_map_kind_fixture_is_there()
    {
        string[] kinds = ["array", "hash", "percpu_array", "percpu_hash", "lru_hash", "lru_percpu_hash", "prog_array", "ringbuf",
            "perf_event_array", "queue", "stack", "lpm_trie", "bloom_filter", "array_of_maps", "hash_of_maps", "sockmap", "redirect_maps"];
        Assert.All(kinds, k => Assert.Contains(KernelFixtureTests.All, s => s.Object == $"maps/{k}.o"));
    }

    [Fact]
    public void Written_scenarios_read_back_the_same()
    {
        var text = KernelExpectations.Write(KernelFixtureTests.All, new Dictionary<string, string> { ["kernel"] = "test" });
        Assert.Equal(KernelFixtureTests.All.Select(KernelExpectations.Json), KernelExpectations.Read(text).Select(KernelExpectations.Json));
        Assert.Contains("\"op\": \"setSlot\"", text);
    }

    /// <summary>Every scenario whose answers the running kernel gives differently from the file, one line each with
    /// both answers. Differences that come from the kernel's build (a helper it does not offer) make a skip that names
    /// them; any other difference fails.</summary>
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
        Assert.Equal(recorded.Select(s => s.Name), observed.Select(s => s.Name));
        var differences = recorded.Zip(observed).Select(p => (p.First, p.Second, Line: Difference(p.First, p.Second)))
            .Where(d => d.Line is not null).ToList();
        var heading = $"{RunningKernel.Description} answers differently from tests/fixtures/kernel-expectations.json " +
            $"(recorded on {RecordedOn()}) in {differences.Count} scenario(s):\n";
        var lines = string.Join('\n', differences.Select(d => d.Line));
        Assert.True(differences.All(d => d.Second.Rejected is { } r && RunningKernel.IsBuildRefusal(r.Message)), heading + lines);
        Skip.If(differences.Count > 0, heading + lines + "\n(each a helper this kernel's build does not offer, not a BpfSharp difference)");
    }

    /// <summary>The first place where the kernel's answer differs from the recorded one, as one line; null when none does.</summary>
    static string? Difference(KernelScenario recorded, KernelScenario now)
    {
        if (KernelExpectations.Json(recorded.Rejected) != KernelExpectations.Json(now.Rejected))
            return $"  {recorded.Name}: recorded {Verdict(recorded)}; this kernel {Verdict(now)}";
        for (var i = 0; i < Math.Max(recorded.Steps.Count, now.Steps.Count); i++)
        {
            var (was, @is) = (Fields(recorded, i), Fields(now, i));
            var differing = was.Keys.Union(@is.Keys).Where(k => was.GetValueOrDefault(k) != @is.GetValueOrDefault(k)).ToList();
            if (differing.Count == 0) continue;
            var step = $"{was.GetValueOrDefault("op") ?? @is.GetValueOrDefault("op")} {was.GetValueOrDefault("program") ?? was.GetValueOrDefault("map")}".Replace("\"", "");
            return $"  {recorded.Name}, step {i} ({step}): " + string.Join("; ", differing.Select(k =>
                $"{k} recorded {was.GetValueOrDefault(k) ?? "(none)"}, this kernel {@is.GetValueOrDefault(k) ?? "(none)"}"));
        }
        return null;

        static string Verdict(KernelScenario s) => s.Rejected is { } r ? $"refuses it: {r.Message} (errno {r.Errno})" : "loads it";

        // a step's fields as the file spells them, so that a difference names the field and not a character position
        static Dictionary<string, string?> Fields(KernelScenario s, int i) => i >= s.Steps.Count ? []
            : System.Text.Json.Nodes.JsonNode.Parse(KernelExpectations.Json(s.Steps[i]))!.AsObject()
                .ToDictionary(p => p.Key, p => p.Value?.ToJsonString());
    }

    static string RecordedOn() => KernelExpectations.RecordedWith(File.ReadAllText(KernelExpectations.FilePath));
}
