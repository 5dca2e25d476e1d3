using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Verification;

/// <summary>Every verifier case under tests/BpfSharp.Tests/Verification/Cases, for theories that compare a verifier's
/// verdict with the one Linux gave (<see cref="VerifierCase.Kernel"/>):
/// <code>
/// [Theory, MemberData(nameof(VerifierCases.Names), MemberType = typeof(VerifierCases))]
/// public void BpfSharp_agrees_with_the_kernel(string name) { var c = VerifierCases.Get(name); ... }
/// </code></summary>
internal static class VerifierCases
{
    static readonly Lazy<IReadOnlyDictionary<string, VerifierCase>> cases = new(Load);

    /// <summary>The folder of the case files.</summary>
    public static string Directory => Path.Combine(Requirements.RepositoryRoot, "tests", "BpfSharp.Tests", "Verification", "Cases");

    /// <summary>Every case, in file then line order.</summary>
    public static IReadOnlyList<VerifierCase> All => [.. cases.Value.Values.OrderBy(c => c.File, StringComparer.Ordinal).ThenBy(c => c.Line)];

    /// <summary>Every case's name, as theory data (the display name is the case name).</summary>
    public static TheoryData<string> Names => Data(_ => true);

    /// <summary>The names of the cases the kernel refuses.</summary>
    public static TheoryData<string> Rejected => Data(c => c.Kernel is { Accepted: false });

    /// <summary>The names of the cases the kernel accepts.</summary>
    public static TheoryData<string> Accepted => Data(c => c.Kernel is { Accepted: true });

    /// <summary>A case by name.</summary>
    public static VerifierCase Get(string name) =>
        cases.Value.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"no verifier case '{name}' in {Directory}");

    /// <summary>The case files, relative to <see cref="Directory"/>, sorted.</summary>
    public static IReadOnlyList<string> Files =>
        [.. System.IO.Directory.GetFiles(Directory, "*" + VerifierCaseFile.Extension, SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Directory, p).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    static TheoryData<string> Data(Func<VerifierCase, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var c in All.Where(filter)) data.Add(c.Name);
        return data;
    }

    static IReadOnlyDictionary<string, VerifierCase> Load()
    {
        var all = new Dictionary<string, VerifierCase>(StringComparer.Ordinal);
        foreach (var file in Files)
            foreach (var c in VerifierCaseFile.Read(Path.Combine(Directory, file), file))
                if (!all.TryAdd(c.Name, c))
                    throw new FormatException($"{c}: the name is already used by {all[c.Name]}");
        return all;
    }
}
