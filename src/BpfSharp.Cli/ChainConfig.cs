using BpfSharp.Events;
using System.Text.Json;
using BpfSharp.Loading;

namespace BpfSharp.Cli;

/// <summary>A <c>bpfsharp chain</c> configuration file (JSON; README.md, "chain"): the stages in slot order, how
/// they find each other, and what to run them on. Paths are relative to the file. Unknown properties are refused,
/// so that a misspelt one is not silently ignored.</summary>
/// <param name="Stages">The stages, slot 0 first.</param>
/// <param name="Options">The root program array, the index variable, the shared maps.</param>
/// <param name="Input">A capture to replay, or null.</param>
/// <param name="DataIn">One packet to test-run, or null.</param>
internal sealed record ChainConfig(IReadOnlyList<ChainStage> Stages, ChainOptions Options, string? Input, string? DataIn)
{
    static readonly string[] TopLevel = ["programArray", "indexVariable", "sharedMaps", "input", "dataIn", "stages"];
    static readonly string[] StageProperties = ["name", "object", "program", "globals"];

    public static ChainConfig Read(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BpfException($"{path}: line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: not valid JSON ({FirstSentence(e.Message)})", e);
        }
        using (document)
        {
            var root = Expect(document.RootElement, JsonValueKind.Object, path, "the file");
            Known(root, TopLevel, path, "the file");
            var defaults = new ChainOptions();
            var options = defaults with
            {
                ProgramArray = OptionalString(root, "programArray", path) ?? defaults.ProgramArray,
                IndexVariable = OptionalString(root, "indexVariable", path) ?? defaults.IndexVariable,
                SharedMaps = root.TryGetProperty("sharedMaps", out var shared)
                    ? Expect(shared, JsonValueKind.Array, path, "sharedMaps").EnumerateArray().Select((m, i) => Text(m, path, $"sharedMaps[{i}]")).ToList()
                    : [],
            };
            if (!root.TryGetProperty("stages", out var stagesElement))
                throw new BpfException($"{path}: 'stages' is missing: list the programs to chain, each as {{ \"object\": \"x.o\", \"program\": \"name\" }}");
            var stages = Expect(stagesElement, JsonValueKind.Array, path, "stages").EnumerateArray()
                .Select((s, i) => Stage(s, path, $"stages[{i}]", directory)).ToList();
            if (stages.Count == 0) throw new BpfException($"{path}: stages: the chain needs at least one stage");
            var input = OptionalString(root, "input", path);
            var dataIn = OptionalString(root, "dataIn", path);
            if (input is not null && dataIn is not null) throw new BpfException($"{path}: give 'input' (a capture) or 'dataIn' (one packet), not both");
            return new ChainConfig(stages, options, Resolve(directory, input), Resolve(directory, dataIn));
        }
    }

    static ChainStage Stage(JsonElement element, string path, string where, string directory)
    {
        Expect(element, JsonValueKind.Object, path, where);
        Known(element, StageProperties, path, where);
        var obj = Required(element, "object", path, where);
        var program = Required(element, "program", path, where);
        var globals = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (element.TryGetProperty("globals", out var g))
            foreach (var variable in Expect(g, JsonValueKind.Object, path, $"{where}.globals").EnumerateObject())
                globals[variable.Name] = variable.Value.ValueKind == JsonValueKind.Number && variable.Value.TryGetUInt64(out var value) ? value
                    : throw new BpfException($"{path}: {where}.globals.{variable.Name}: {variable.Value.GetRawText()} is not an unsigned integer");
        return new ChainStage(Path.Combine(directory, obj), program)
        {
            Name = OptionalString(element, "name", path, where),
            Globals = globals,
        };
    }

    static string? Resolve(string directory, string? file) => file is null ? null : Path.Combine(directory, file);

    static JsonElement Expect(JsonElement element, JsonValueKind kind, string path, string where) => element.ValueKind == kind ? element
        : throw new BpfException($"{path}: {where} must be {(kind == JsonValueKind.Array ? "an array" : "an object")}, not {element.ValueKind.ToString().ToLowerInvariant()}");

    static void Known(JsonElement element, string[] names, string path, string where)
    {
        foreach (var property in element.EnumerateObject())
            if (!names.Contains(property.Name, StringComparer.Ordinal))
                throw new BpfException($"{path}: {where} has an unknown property '{property.Name}' (known: {string.Join(", ", names)})");
    }

    static string Required(JsonElement element, string name, string path, string where) =>
        OptionalString(element, name, path, where) ?? throw new BpfException($"{path}: {where}.{name} is missing");

    static string? OptionalString(JsonElement element, string name, string path, string? where = null) =>
        element.TryGetProperty(name, out var value) ? Text(value, path, where is null ? name : $"{where}.{name}") : null;

    static string Text(JsonElement value, string path, string where) => value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
        ? text
        : throw new BpfException($"{path}: {where} must be a non-empty string, not {value.GetRawText()}");

    static string FirstSentence(string message) => message.Split(". ")[0];
}
