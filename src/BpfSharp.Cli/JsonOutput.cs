using System.Text;
using System.Text.Json;

namespace BpfSharp.Cli;

/// <summary>A command's <c>--json</c> document: indented UTF-8, written whole, then a line end.</summary>
internal static class JsonOutput
{
    public static void Write(TextWriter stdout, Action<Utf8JsonWriter> document)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            document(writer);
        stdout.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
