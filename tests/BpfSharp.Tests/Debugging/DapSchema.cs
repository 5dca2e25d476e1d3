using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BpfSharp.Tests.Support;
using Json.Schema;

namespace BpfSharp.Tests.Debugging;

/// <summary>Checks a message of the Debug Adapter Protocol against its definition in dap.schema.json (the
/// protocol's required properties and types): a response to COMMAND against COMMANDResponse, a failed one against
/// ErrorResponse, event NAME against NAMEEvent. A message with no definition fails too.</summary>
public static class DapSchema
{
    static readonly JsonObject Definitions = (JsonObject)JsonNode.Parse(File.ReadAllText(
        Path.Combine(Requirements.RepositoryRoot, "tests", "BpfSharp.Tests", "Debugging", "dap.schema.json")))!["$defs"]!;

    static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>The definition's name for <paramref name="message"/>.</summary>
    public static string DefinitionOf(JsonObject message) => message["type"]?.GetValue<string>() switch
    {
        "response" when message["success"]?.GetValue<bool>() == false => "ErrorResponse",
        "response" => Capitalised(message["command"]!.GetValue<string>()) + "Response",
        "event" => Capitalised(message["event"]!.GetValue<string>()) + "Event",
        var other => throw new Xunit.Sdk.XunitException($"not a message an adapter sends (type {other}): {message.ToJsonString()}"),
    };

    /// <summary>Fails, naming the definition and each error with its place, when <paramref name="message"/> breaks its definition.</summary>
    public static void Check(JsonObject message)
    {
        var name = DefinitionOf(message);
        if (!Definitions.ContainsKey(name)) throw new Xunit.Sdk.XunitException($"dap.schema.json has no {name}: {message.ToJsonString()}");
        var schema = Schemas.GetOrAdd(name, n => JsonSchema.FromText(new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = Definitions.DeepClone(),
            ["$ref"] = $"#/$defs/{n}",
        }.ToJsonString()));
        var result = schema.Evaluate(message, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        throw new Xunit.Sdk.XunitException($"{name} broken: {string.Join("; ", errors)}\n{message.ToJsonString()}");
    }

    static string Capitalised(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
