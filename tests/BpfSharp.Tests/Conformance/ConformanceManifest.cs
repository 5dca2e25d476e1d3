using System.Text.Json;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Conformance;

/// <summary>One entry of ../shared/conformance/tests.json: the upstream assembler's bytes and the expected r0.</summary>
public sealed record ConformanceCase(string File, string ProgramHex, string MemHex, ulong? ExpectedResult, string? ExpectedError,
    int CpuVersion, string KernelVerdict)
{
    public override string ToString() => File;

    public byte[] Program => Convert.FromHexString(ProgramHex);

    public byte[] Memory => Convert.FromHexString(MemHex);
}

/// <summary>Reads the conformance manifests; empty when ../shared is absent (the tests then skip).</summary>
public static class ConformanceManifest
{
    public static string Directory => Path.Combine(Requirements.SharedDirectory, "conformance");

    public static IReadOnlyList<ConformanceCase> Tests { get; } = Read("tests.json");

    /// <summary>xunit rows, one per test file, or one placeholder when the suite is absent (the theory is skipped
    /// then, but xunit still wants data).</summary>
    public static TheoryData<ConformanceCase> Rows()
    {
        var rows = new TheoryData<ConformanceCase>();
        foreach (var t in Tests) rows.Add(t);
        if (Tests.Count == 0) rows.Add(new ConformanceCase("(suite absent)", "", "", null, null, 1, ""));
        return rows;
    }

    static IReadOnlyList<ConformanceCase> Read(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path)) return Array.Empty<ConformanceCase>();
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(e => new ConformanceCase(
            e.GetProperty("file").GetString()!,
            e.GetProperty("program_hex").GetString()!,
            e.GetProperty("mem_hex").GetString()!,
            e.GetProperty("expected_result").GetString() is { } r ? Convert.ToUInt64(r, 16) : null,
            e.GetProperty("expected_error").GetString(),
            e.GetProperty("cpu_version").GetInt32(),
            e.TryGetProperty("linux_6_18_libbpf_plugin_xdp_prolog", out var k) ? k.GetString() ?? "" : "")).ToList();
    }
}
