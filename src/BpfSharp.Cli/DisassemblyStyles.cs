using BpfSharp.Isa;
using Spectre.Console;

namespace BpfSharp.Cli;

/// <summary>The colours disassembly text gets on a terminal, by kind of piece (shared by <c>disasm</c> and
/// <c>trace</c>).</summary>
internal static class DisassemblyStyles
{
    public static Style Of(TextKind kind) => kind switch
    {
        TextKind.Heading => new Style(decoration: Decoration.Bold),
        TextKind.Address or TextKind.Bytes or TextKind.Data => new Style(Color.Grey),
        TextKind.Mnemonic => new Style(Color.Blue, decoration: Decoration.Bold),
        TextKind.Register => new Style(Color.Teal),
        TextKind.Number => new Style(Color.Olive),
        TextKind.Type => new Style(Color.Purple),
        TextKind.Label => new Style(Color.Green),
        TextKind.Invalid => new Style(Color.Red, decoration: Decoration.Bold),
        _ => Style.Plain,
    };
}
