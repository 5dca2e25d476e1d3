using System.Text.Json;

namespace BpfSharp.Tests.Support;

/// <summary>One row of <c>../shared/conformance/tests.json</c> or <c>negative.json</c>, produced by the upstream
/// assembler and parser (see <c>FORMAT.md</c> there).</summary>
public sealed record ManifestEntry(string File, string Status, string? ExpectedResult, string? ExpectedError,
    string MemHex, string ProgramHex)
{
    /// <summary>What Linux 6.18 said of the program (PASS, or why it refused it); the manifest's
    /// <c>linux_6_18_libbpf_plugin_xdp_prolog</c>.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("linux_6_18_libbpf_plugin_xdp_prolog")]
    public string? LinuxVerdict { get; init; }
}

/// <summary>The bpf_conformance material in <c>../shared/conformance</c>: the <c>.data</c> files and their manifests.</summary>
public static class ConformanceManifest
{
    /// <summary>Stands in for the file list when <c>../shared</c> is missing, so that discovery still finds one row;
    /// the theories using it carry <see cref="Requirement.Shared"/> and are skipped.</summary>
    public const string Missing = "(conformance suite missing)";

    public static string Root => Path.Combine(Requirements.SharedDirectory, "conformance");

    static readonly Lazy<Dictionary<string, ManifestEntry>> positive = new(() => Load("tests.json"));
    static readonly Lazy<Dictionary<string, ManifestEntry>> negative = new(() => Load("negative.json"));

    /// <summary>tests.json by file name.</summary>
    public static IReadOnlyDictionary<string, ManifestEntry> Positive => positive.Value;

    /// <summary>negative.json by file name.</summary>
    public static IReadOnlyDictionary<string, ManifestEntry> Negative => negative.Value;

    public static string PositivePath(string file) => Path.Combine(Root, "tests", file);

    public static string NegativePath(string file) => Path.Combine(Root, "negative", file);

    /// <summary>File names of the rows that match, as theory data (display name = file name).</summary>
    public static TheoryData<string> Files(bool negativeManifest, Func<ManifestEntry, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        if (Requirements.WhyMissing(Requirement.Shared) is not null)
        {
            data.Add(Missing);
            return data;
        }
        foreach (var entry in (negativeManifest ? Negative : Positive).Values.OrderBy(e => e.File, StringComparer.Ordinal))
            if (filter?.Invoke(entry) ?? true)
                data.Add(entry.File);
        return data;
    }

    /// <summary>"0a1b" as bytes.</summary>
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex);

    /// <summary>The expected r0 of a positive test.</summary>
    public static ulong ExpectedResult(ManifestEntry entry) => Convert.ToUInt64(entry.ExpectedResult, 16);

    static Dictionary<string, ManifestEntry> Load(string name)
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var entries = JsonSerializer.Deserialize<List<ManifestEntry>>(File.ReadAllText(Path.Combine(Root, name)), options)
            ?? throw new InvalidDataException($"{name} is empty");
        return entries.ToDictionary(e => e.File, StringComparer.Ordinal);
    }
}
