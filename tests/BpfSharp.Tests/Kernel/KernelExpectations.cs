using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BpfSharp.Tests.Kernel;

/// <summary>tests/fixtures/kernel-expectations.json: every <see cref="KernelScenario"/> with the kernel's answers,
/// for comparing BpfSharp with the kernel where there is no root. Written by record-kernel-expectations.sh.</summary>
public static class KernelExpectations
{
    /// <summary>The committed file.</summary>
    public static string FilePath => Path.Combine(Support.Requirements.FixturesDirectory, "kernel-expectations.json");

    static readonly JsonSerializerOptions options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // keep '<' and '\'' readable; this is not HTML
    };

    static readonly JsonSerializerOptions compact = new(options) { WriteIndented = false };

    static readonly string[] conventions =
    [
        "object: relative to tests/fixtures; each scenario loads it fresh (bpftool prog loadall, libbpf fills static prog arrays and map-in-map slots)",
        "bytes (dataIn, keys, values, bytes) are lowercase hex; numbers inside them are little-endian",
        "run: BPF_PROG_TEST_RUN on CPU cpu; returnValue is r0 as the kernel reports it, a u32",
        "dump: every element sorted by key bytes; prog arrays and map-in-map show the target's name (the kernel stores ids); global data by section name (.bss, .data, .rodata)",
        "dump with perCpu: value is CPU 0's, every other CPU holds zeros",
        "drain: a queue or stack popped from user space until empty, in pop order",
        "rejected: the load fails; message is the verifier's error line, errno positive",
    ];

    /// <summary>The file's text for these scenarios; <paramref name="recordedWith"/> names the kernel and tools.</summary>
    public static string Write(IEnumerable<KernelScenario> scenarios, IReadOnlyDictionary<string, string> recordedWith)
    {
        var root = new JsonObject
        {
            ["about"] = "The Linux kernel's answers for the fixtures in tests/fixtures, recorded by tests/fixtures/record-kernel-expectations.sh (KernelFixtureTests states the same values).",
            ["recordedWith"] = new JsonObject(recordedWith.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["conventions"] = new JsonArray(conventions.Select(c => (JsonNode)c!).ToArray()),
            ["scenarios"] = JsonSerializer.SerializeToNode(scenarios.ToList(), options),
        };
        return root.ToJsonString(options) + "\n";
    }

    /// <summary>This machine: kernel release and architecture, bpftool and its libbpf.</summary>
    public static IReadOnlyDictionary<string, string> ThisMachine()
    {
        var version = Bpftool.Check("version").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Dictionary<string, string>
        {
            ["kernel"] = $"Linux {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()} {Support.Requirements.Run("uname", ["-m"]).Stdout.Trim()}",
            ["bpftool"] = $"bpftool {version[0].Split(' ')[^1]} ({version.FirstOrDefault(l => l.Contains("libbpf"))})",
        };
    }

    /// <summary>The scenarios a file holds.</summary>
    public static IReadOnlyList<KernelScenario> Read(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new InvalidDataException("empty expectations file");
        return root["scenarios"].Deserialize<List<KernelScenario>>(options) ?? [];
    }

    /// <summary>The kernel a file was recorded on, as its <c>recordedWith</c> names it.</summary>
    public static string RecordedWith(string json) =>
        JsonNode.Parse(json)?["recordedWith"]?["kernel"]?.GetValue<string>() ?? "(unknown kernel)";

    /// <summary>One scenario or step as the file spells it, on one line, for comparisons with readable differences.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, compact);
}
