using System.Text.RegularExpressions;
using BpfSharp.Tests.Support;
using Microsoft.CodeAnalysis;

namespace BpfSharp.Tests.Docs;

/// <summary>The C# in docs/ARCHITECTURE.md and the README compiles against the library as a user's console app: the
/// documentation cannot drift from the API it shows. Blocks fenced <c>cs</c> rather than <c>csharp</c> use a
/// generated skeleton, which only the generator's own tests can compile.</summary>
public sealed partial class ArchitectureDocTests
{
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var doc in new[] { "docs/ARCHITECTURE.md", "README.md" })
            for (var i = 0; i < CSharpBlocks(doc).Count; i++) data.Add(doc, i);
        return data;
    }

    static IReadOnlyList<string> CSharpBlocks(string doc) =>
        [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(Requirements.RepositoryRoot, doc))).Select(m => m.Groups[1].Value)];

    [Theory, MemberData(nameof(Blocks))]
    public void A_csharp_block_compiles_as_a_console_app(string doc, int block)
    {
        Assert.Empty(UserCode.Errors(CSharpBlocks(doc)[block], OutputKind.ConsoleApplication));
    }

    [Fact]
    public void The_architecture_document_shows_csharp()
    {
        Assert.True(CSharpBlocks("docs/ARCHITECTURE.md").Count >= 2);
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
