using BpfSharp.Abi;
using System.CommandLine;
using BpfSharp.Loading;
using BpfSharp.Maps;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp maps OBJ</c>: the maps an object defines, as libbpf would create them.</summary>
internal static class MapsCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a BPF ELF object" };
        var json = new Option<bool>("--json") { Description = "print the maps as JSON" };
        var command = new Command("maps", """
            list the maps an object defines (BTF .maps, legacy maps, global data), as libbpf would create them

            examples:
              bpfsharp maps examples/xdp-pipeline/xdp_pipeline.o
              bpfsharp maps examples/sockex3/sockex3.o --json
            exit codes: 0 listed, 1 bad input
            """) { file, json };
        command.SetAction(parse => CliErrors.Guard(parse, () =>
        {
            var spec = ObjectSpec.Read(parse.GetValue(file)!.FullName);
            if (parse.GetValue(json))
            {
                WriteJson(Console.Out, spec);
                return 0;
            }
            var table = new Table().AddColumns("name", "type", "key", "value", "max entries", "flags", "section", "initialised");
            foreach (var map in spec.Maps)
                table.AddRow(Markup.Escape(map.Name), map.Spec.Type.ToString(), map.Spec.KeySize.ToString(), map.Spec.ValueSize.ToString(),
                    map.Spec.MaxEntries.ToString(), Flags(map.Spec.Flags), Markup.Escape(map.Section), Initialised(map));
            Terminal.Create().Write(table);
            return 0;
        }));
        return command;
    }

    static void WriteJson(TextWriter stdout, ObjectSpec spec) => JsonOutput.Write(stdout, json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("maps");
        foreach (var map in spec.Maps)
        {
            json.WriteStartObject();
            json.WriteString("name", map.Name);
            json.WriteString("type", map.Spec.Type.ToString());
            json.WriteNumber("keySize", map.Spec.KeySize);
            json.WriteNumber("valueSize", map.Spec.ValueSize);
            json.WriteNumber("maxEntries", map.Spec.MaxEntries);
            json.WriteNumber("flags", map.Spec.Flags);
            json.WriteString("section", map.Section);
            if (map.InitialValue is { } bytes) json.WriteString("initialValue", Convert.ToHexStringLower(bytes));
            json.WriteBoolean("frozen", map.Frozen);
            json.WriteStartObject("initialSlots");
            foreach (var slot in map.InitialSlots) json.WriteString(slot.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), slot.Value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    static string Flags(uint flags) => flags == 0 ? "" : flags == MapFlags.ReadOnlyProgram ? "rdonly_prog" : $"0x{flags:x}";

    static string Initialised(MapDefinition map) => map switch
    {
        { InitialValue: not null } => map.Frozen ? "section data (frozen)" : "section data",
        { InitialSlots.Count: > 0 } => Markup.Escape(string.Join(", ", map.InitialSlots.Select(s => $"[{s.Key}] = {s.Value}"))),
        _ => "",
    };
}
