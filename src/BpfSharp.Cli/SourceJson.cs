using System.Text.Json;
using BpfSharp.Btf;

namespace BpfSharp.Cli;

/// <summary>A source line in the JSON the commands print: <c>"source": { "file", "line", "column", "text" }</c>.</summary>
internal static class SourceJson
{
    public static void Write(Utf8JsonWriter w, LineInfo line)
    {
        w.WriteStartObject("source");
        w.WriteString("file", line.File);
        w.WriteNumber("line", line.Line);
        w.WriteNumber("column", line.Column);
        w.WriteString("text", line.Text);
        w.WriteEndObject();
    }
}
