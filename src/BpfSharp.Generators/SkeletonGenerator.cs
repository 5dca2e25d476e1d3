using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BpfSharp.Generators;

/// <summary>Generates a typed skeleton class for each BPF object a project lists as <c>&lt;BpfObject Include="x.o"/&gt;</c>.
/// It reads no file itself: build/BpfSharp.Generators.targets runs BpfSharp.Generators.Describe, which reads the
/// object with the library's ELF and BTF readers and writes a text description, passed here as an additional file
/// (<c>*.bpfskeleton</c>).</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SkeletonGenerator : IIncrementalGenerator
{
    /// <summary>The extension of the descriptions the targets write.</summary>
    internal const string DescriptionExtension = ".bpfskeleton";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Path and text are strings, so an unchanged description is a cache hit and nothing is regenerated.
        var descriptions = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(DescriptionExtension, StringComparison.OrdinalIgnoreCase))
            .Select((file, cancellation) => (file.Path, Text: file.GetText(cancellation)?.ToString() ?? ""));
        context.RegisterSourceOutput(descriptions, (output, description) =>
        {
            var (hint, code, diagnostics) = Generate(description.Path, description.Text);
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic);
            if (hint is not null && code is not null) output.AddSource(hint, SourceText.From(code, System.Text.Encoding.UTF8));
        });
    }

    /// <summary>The skeleton for one description: a hint name and the source (null when the object cannot be read),
    /// and the diagnostics, located at the object (at the description <paramref name="path"/> when that is unreadable).</summary>
    internal static (string? Hint, string? Code, IReadOnlyList<Diagnostic> Diagnostics) Generate(string path, string text)
    {
        ObjectDescription description;
        try
        {
            description = DescriptionReader.Read(text);
        }
        catch (FormatException e)
        {
            return (null, null, [Diagnostic.Create(SkeletonDiagnostics.Malformed, At(path), Path.GetFileName(path), e.Message)]);
        }
        var location = At(description.Source ?? path);
        if (description.Error is { } error)
            return (null, null, [Diagnostic.Create(SkeletonDiagnostics.Malformed, location, description.FileName, error)]);
        try
        {
            var (code, diagnostics) = SkeletonWriter.Write(description, location);
            return (description.FileName + ".g.cs", code, diagnostics);
        }
        catch (FormatException e)
        {
            return (null, null, [Diagnostic.Create(SkeletonDiagnostics.Malformed, location, description.FileName, e.Message)]);
        }
    }

    static Location At(string file) => Location.Create(file, new TextSpan(0, 0), new LinePositionSpan(default, default));
}
