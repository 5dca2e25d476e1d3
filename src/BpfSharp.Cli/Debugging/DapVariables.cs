using System.Globalization;
using System.Text.Json.Nodes;
using BpfSharp.Debugging;

namespace BpfSharp.Cli.Debugging;

/// <summary>The variables a DAP client browses at a stop, by reference: a scope or a value with members gets a number,
/// valid until the run goes on. Registers of the innermost frame and map entries can be set.</summary>
internal sealed class DapVariables
{
    /// <summary>Frame ids from here on are the label frames that name a frame a tail call replaced.</summary>
    public const int LabelFrame = 1_000_000;

    /// <summary>What a reference shows, and what setting one of its values changes.</summary>
    sealed record Handle(IReadOnlyList<DebugValue> Values, bool Registers = false, bool Maps = false, string? Map = null);

    readonly List<Handle> handles = new();

    public void Clear() => handles.Clear();

    int Add(Handle handle)
    {
        handles.Add(handle);
        return handles.Count;
    }

    public JsonArray Scopes(DebugSession session, DebugFrame frame)
    {
        var scopes = new JsonArray();
        if (!frame.IsLive) return Scope(scopes, "Registers", new Handle(session.Registers(frame)));
        var innermost = ReferenceEquals(frame, session.Frames[0]);
        Scope(scopes, "Registers", new Handle(session.Registers(frame), Registers: innermost));
        Scope(scopes, "Arguments", new Handle(session.Arguments(frame)));
        Scope(scopes, "Stack", new Handle(session.Stack(frame)));
        Scope(scopes, "Globals", new Handle(session.Globals()));
        Scope(scopes, "Context and packet", new Handle(session.Regions()));
        var maps = session.Object.Maps.Values.Select(m => new DebugValue(m.Name, $"{m.Type}", $"{m.KeySize}-byte keys, {m.ValueSize}-byte values",
            session.MapEntries(m.Name))).ToList();
        return Scope(scopes, "Maps", new Handle(maps, Maps: true), expensive: true);
    }

    JsonArray Scope(JsonArray scopes, string name, Handle handle, bool expensive = false)
    {
        scopes.Add(new JsonObject { ["name"] = name, ["variablesReference"] = Add(handle), ["expensive"] = expensive });
        return scopes;
    }

    public JsonArray Of(int reference)
    {
        var handle = Get(reference);
        var variables = new JsonArray();
        foreach (var value in handle.Values)
        {
            // A map's entries can be set, but a program array's slots hold programs, not bytes.
            var children = value.Children.Count == 0 ? 0
                : Add(new Handle(value.Children, Map: handle.Maps && value.Type != nameof(MapType.ProgArray) ? value.Name : null));
            var variable = new JsonObject { ["name"] = value.Name, ["value"] = value.Value, ["variablesReference"] = children };
            if (value.Type.Length > 0) variable["type"] = value.Type;
            variables.Add(variable);
        }
        return variables;
    }

    Handle Get(int reference) =>
        reference >= 1 && reference <= handles.Count ? handles[reference - 1] : throw new BpfException($"no variables reference {reference} (they last until the run goes on)");

    public JsonObject Set(DebugSession session, int reference, string name, string value)
    {
        var handle = Get(reference);
        if (handle.Registers && name.Length is 2 or 3 && name[0] == 'r' && int.TryParse(name.AsSpan(1), CultureInfo.InvariantCulture, out var register))
        {
            var number = session.Evaluate(value);
            session.SetRegister(register, number);
            return new JsonObject { ["value"] = $"0x{number:x}" };
        }
        if (handle.Map is { } map)
        {
            session.Object.Maps[map].Update(Hex.Parse(name, "map key"), Hex.Parse(value, "map value"));
            return new JsonObject { ["value"] = value };
        }
        throw new BpfException("only r0-r9 of the innermost frame and map entries (key and value in hex) can be set");
    }
}
