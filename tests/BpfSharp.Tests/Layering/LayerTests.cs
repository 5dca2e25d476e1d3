using BpfSharp.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BpfSharp.Tests.Layering;

/// <summary>Layers one way. Every name in the library's sources that resolves to a library type of a higher layer
/// (<see cref="Layers"/>) is a reference against the direction. The ones that existed when this test was written are
/// listed in known-layer-violations.txt, one "from-namespace -> type" per line: a new one fails the test, and so does
/// a listed one that is gone (take it off the list: the list only shrinks).</summary>
public sealed class LayerTests
{
    static readonly string Library = Path.Combine(Requirements.RepositoryRoot, "src", "BpfSharp");
    static readonly string Baseline = Path.Combine(Requirements.RepositoryRoot, "tests", "BpfSharp.Tests", "Layering", "known-layer-violations.txt");

    [Fact]
    public void References_point_down_the_layers_except_the_known_ones()
    {
        var found = Violations();
        var known = File.ReadLines(Baseline).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        var added = found.Except(known).Order().ToList();
        var gone = known.Except(found).Order().ToList();
        Assert.True(added.Count == 0, $"references against the layers' direction (use a lower layer, or move the type):\n{string.Join("\n", added)}");
        Assert.True(gone.Count == 0, $"fixed: take these off {Path.GetFileName(Baseline)}:\n{string.Join("\n", gone)}");
    }

    static HashSet<string> Violations()
    {
        var files = Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        // The project's implicit usings, which its build generates into obj/.
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", options);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f)).Append(implicitUsings).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("BpfSharp", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var violations = new HashSet<string>();
        foreach (var tree in trees.Where(t => t.FilePath.Length > 0))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(d => d.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax))
            {
                var declared = model.GetDeclaredSymbol(declaration)!;
                if (!InLibrary(declared)) continue;
                var from = Layers.Of(declared.ContainingNamespace.ToDisplayString(), declared.Name);
                foreach (var name in declaration.DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    if (Outermost(model.GetSymbolInfo(name).Symbol) is not { } used || !InLibrary(used))
                        continue;
                    var to = Layers.Of(used.ContainingNamespace.ToDisplayString(), used.Name);
                    if (!Layers.Allows(from, to)) violations.Add($"{from} -> {used.ContainingNamespace.ToDisplayString()}.{used.Name}");
                }
            }
        }
        return violations;
    }

    /// <summary>A type of the library's own namespaces (not a compiler polyfill it declares in System.*).</summary>
    static bool InLibrary(INamedTypeSymbol type) =>
        type.ContainingNamespace.ToDisplayString() is var ns && (ns == "BpfSharp" || ns.StartsWith("BpfSharp.", StringComparison.Ordinal));

    /// <summary>The outermost type a symbol belongs to (a member's type, a nested type's container), or null.</summary>
    static INamedTypeSymbol? Outermost(ISymbol? symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
        while (type?.ContainingType is { } outer) type = outer;
        return type is { ContainingNamespace: not null } ? type.OriginalDefinition : null;
    }
}
