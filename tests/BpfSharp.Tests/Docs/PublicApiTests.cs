using System.Text.RegularExpressions;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Docs;

/// <summary>The library's public surface stays small: what src/BpfSharp/PublicAPI.*.txt declare (the public-API
/// analyzer fails the build when the code and the files differ) names at most 50 types.</summary>
public sealed partial class PublicApiTests
{
    [Fact]
    public void The_public_api_names_at_most_fifty_types()
    {
        var lines = new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(f => File.ReadLines(Path.Combine(Requirements.RepositoryRoot, "src", "BpfSharp", f)));
        var types = lines.Where(l => TypeLine().IsMatch(l)).ToList();
        Assert.InRange(types.Count, 1, 50);
        // Everything a first program needs is in the one namespace, BpfSharp; the instruction set and the debugger
        // are the only others.
        Assert.All(types, t => Assert.Matches(@"^BpfSharp\.((Isa|Debugging)\.)?[A-Z]\w*(<[\w, ]+>)?$", t));
    }

    /// <summary>A type's own line: a name alone, without a member's parameters, return type or modifiers.</summary>
    [GeneratedRegex(@"^BpfSharp\.[\w.]+(<[\w, ]+>)?$")]
    private static partial Regex TypeLine();
}
