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
        var command = new Command("maps", "list the maps an object defines (BTF .maps, legacy maps, global data)") { file };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var spec = ObjectSpec.Read(parse.GetValue(file)!.FullName);
            var table = new Table().AddColumns("name", "type", "key", "value", "max entries", "flags", "section", "initialised");
            foreach (var map in spec.Maps)
                table.AddRow(Markup.Escape(map.Name), map.Spec.Type.ToString(), map.Spec.KeySize.ToString(), map.Spec.ValueSize.ToString(),
                    map.Spec.MaxEntries.ToString(), Flags(map.Spec.Flags), Markup.Escape(map.Section), Initialised(map));
            Terminal.Create().Write(table);
            return 0;
        }));
        return command;
    }

    static string Flags(uint flags) => flags == 0 ? "" : flags == MapFlags.ReadOnlyProgram ? "rdonly_prog" : $"0x{flags:x}";

    static string Initialised(MapDefinition map) => map switch
    {
        { InitialValue: not null } => map.Frozen ? "section data (frozen)" : "section data",
        { InitialSlots.Count: > 0 } => Markup.Escape(string.Join(", ", map.InitialSlots.Select(s => $"[{s.Key}] = {s.Value}"))),
        _ => "",
    };
}
