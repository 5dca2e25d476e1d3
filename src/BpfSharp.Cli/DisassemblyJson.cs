using System.Globalization;
using BpfSharp.Isa;

namespace BpfSharp.Cli;

/// <summary><c>disasm --json</c>: the same listing as llvm-objdump's text, as one entry per instruction (its
/// section, the symbol it is under, its slot index, bytes and text) or data line. It reads the pieces the
/// disassembler writes, so the text is exactly what the plain listing shows.</summary>
internal sealed class DisassemblyJson : DisassemblyOutput
{
    const string SectionHeading = "Disassembly of section ";

    readonly List<(TextKind Kind, string Text)> line = [];
    readonly List<Entry> entries = [];
    string? section;
    string? symbol;

    sealed record Entry(string? Section, string? Symbol, int? Index, string? Bytes, string Text);

    // A piece may end a line (a label's ":\n") as well as be one.
    public override void Write(ReadOnlySpan<char> text, TextKind kind)
    {
        for (var end = text.IndexOf('\n'); end >= 0; end = text.IndexOf('\n'))
        {
            if (end > 0) line.Add((kind, text[..end].ToString()));
            EndLine();
            text = text[(end + 1)..];
        }
        if (!text.IsEmpty) line.Add((kind, text.ToString()));
    }

    void EndLine()
    {
        var whole = string.Concat(line.Select(p => p.Text));
        var bytesAt = line.FindIndex(p => p.Kind == TextKind.Bytes);
        if (line.Any(p => p.Kind == TextKind.Heading) && whole.StartsWith(SectionHeading, StringComparison.Ordinal))
            (section, symbol) = (whole[SectionHeading.Length..].TrimEnd(':'), null);
        else if (bytesAt >= 0)
            entries.Add(new Entry(section, symbol, int.Parse(line.First(p => p.Kind == TextKind.Address).Text.Trim().TrimEnd(':'), CultureInfo.InvariantCulture),
                line[bytesAt].Text.Replace(" ", ""), string.Concat(line.Skip(bytesAt + 1).Select(p => p.Text)).Trim()));
        else if (line.Any(p => p.Kind == TextKind.Label) && whole.EndsWith(">:", StringComparison.Ordinal))
            symbol = whole[(whole.IndexOf('<') + 1)..^2];
        else if (line.Any(p => p.Kind == TextKind.Data))
            entries.Add(new Entry(section, symbol, null, null, whole.Trim()));
        line.Clear();
    }

    public void WriteTo(TextWriter stdout, string file)
    {
        if (line.Count > 0) EndLine();
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteStartArray("lines");
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteString("section", e.Section);
                json.WriteString("symbol", e.Symbol);
                if (e.Index is { } index)
                {
                    json.WriteNumber("index", index);
                    json.WriteString("bytes", e.Bytes);
                    json.WriteString("text", e.Text);
                }
                else
                {
                    json.WriteString("data", e.Text);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
