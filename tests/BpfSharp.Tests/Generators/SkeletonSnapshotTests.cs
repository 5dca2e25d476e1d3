using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Generators;

/// <summary>The generated skeletons of shipped objects, compared with the committed snapshots in Snapshots/: a
/// change of the generator shows as a diff there. Set BPFSHARP_UPDATE_SNAPSHOTS=1 to rewrite them, then read the diff.</summary>
public sealed class SkeletonSnapshotTests
{
    public static TheoryData<string> Objects => new()
    {
        "examples/drinks/drinks.o",
        "examples/xdp-pipeline/xdp_pipeline.o",
        "tests/fixtures/tailcalls/globals.o",
        "tests/fixtures/loading/skeleton_names.o",
    };

    [Theory, MemberData(nameof(Objects))]
    public void The_skeleton_is_its_snapshot(string path)
    {
        var full = Path.Combine(Requirements.RepositoryRoot, path);
        AssertSnapshot(Path.GetFileName(path), Snapshot(full, File.ReadAllBytes(full)));
    }

    /// <summary>drinks.o cut after its ELF header: the section headers it points to are past the end.</summary>
    [Fact]
    public void A_malformed_object_has_no_skeleton_and_the_loaders_error()
    {
        var elf = File.ReadAllBytes(Path.Combine(Requirements.RepositoryRoot, "examples/drinks/drinks.o"))[..64];
        AssertSnapshot("malformed.o", Snapshot("malformed.o", elf));
    }

    /// <summary>The generated sources, each under a header naming it, then the generator's diagnostics.</summary>
    static string Snapshot(string path, byte[] elf)
    {
        var (_, diagnostics, run) = SkeletonHarness.Generate([(Path.GetFileName(path), SkeletonHarness.Describe(elf, path))]);
        var sources = run.Results.SelectMany(r => r.GeneratedSources).Select(s => $"//// {s.HintName}\n{s.SourceText}");
        var reported = diagnostics.Select(d => $"//// {d.Id} {d.Severity}: {d.GetMessage()}");
        return string.Join("\n", sources.Concat(reported)).ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
    }

    static void AssertSnapshot(string fileName, string actual)
    {
        var path = Path.Combine(Requirements.RepositoryRoot, "tests", "BpfSharp.Tests", "Generators", "Snapshots", fileName + ".g.cs.txt");
        if (Environment.GetEnvironmentVariable("BPFSHARP_UPDATE_SNAPSHOTS") == "1") File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"no snapshot {path}: run with BPFSHARP_UPDATE_SNAPSHOTS=1 to write it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
