using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BpfSharp.Tests.Support;

/// <summary>Compiles C# as a user's project referencing BpfSharp does: the framework and BpfSharp.dll, the SDK's
/// implicit usings, no <c>InternalsVisibleTo</c>, no <c>unsafe</c>.</summary>
internal static class UserCode
{
    /// <summary>What a new project's <c>ImplicitUsings</c> give it.</summary>
    const string ImplicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; " +
        "global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>The compiler's errors for <paramref name="source"/>, each as "CS0122: message".</summary>
    public static ImmutableArray<string> Errors(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(BpfObject).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("UserApp", [CSharpSyntaxTree.ParseText(source, options), CSharpSyntaxTree.ParseText(ImplicitUsings, options)],
            references, new CSharpCompilationOptions(kind, allowUnsafe: false, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Id}: {d.GetMessage()}")];
    }
}
