using System.Collections.Immutable;
using System.Reflection;
using BpfSharp.Generators;
using BpfSharp.Generators.Describe;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace BpfSharp.Tests.Generators;

/// <summary>What the build does for a <c>&lt;BpfObject&gt;</c> item, in process: the describer's text for the object,
/// then the source generator run on it by a Roslyn driver, as the compiler runs it.</summary>
internal static class SkeletonHarness
{
    public const string Namespace = "Skeletons";

    /// <summary>The description the build step writes for <paramref name="elf"/>, read from <paramref name="path"/>.</summary>
    public static string Describe(byte[] elf, string path) =>
        ObjectDescriber.Describe(elf, path, new SkeletonTarget(Namespace, Resource(Path.GetFileName(path)), null));

    public static string Resource(string fileName) => $"BpfSharp.Objects.{fileName}";

    /// <summary>Runs the generator over the descriptions, with <paramref name="code"/> beside them; the compilation it
    /// leaves and every diagnostic (the generator's, then the compiler's).</summary>
    public static (Compilation Compilation, ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run) Generate(
        IEnumerable<(string FileName, string Description)> descriptions, string code = "")
    {
        var compilation = CSharpCompilation.Create("Skeletons",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Preview))],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: false));
        var texts = descriptions.Select(d => (AdditionalText)new Description($"/obj/bpfsharp/{Path.GetFileNameWithoutExtension(d.FileName)}{SkeletonGenerator.DescriptionExtension}", d.Description));
        var driver = CSharpGeneratorDriver.Create([new SkeletonGenerator().AsSourceGenerator()], texts,
            new CSharpParseOptions(LanguageVersion.Preview));
        var run = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (output, diagnostics, run.GetRunResult());
    }

    /// <summary>The framework and BpfSharp, as a project referencing BpfSharp compiles against.</summary>
    static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(BpfObject).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));

    /// <summary>Emits the compilation with each object embedded under its resource name, as the targets embed it, and
    /// loads the assembly.</summary>
    public static Assembly Load(Compilation compilation, IEnumerable<string> objectPaths)
    {
        using var image = new MemoryStream();
        var resources = objectPaths.Select(p => new ResourceDescription(Resource(Path.GetFileName(p)), () => File.OpenRead(p), isPublic: true));
        var result = compilation.Emit(image, manifestResources: resources);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return Assembly.Load(image.ToArray());
    }

    sealed class Description(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
