using System.Text.Json;

namespace BpfSharp.Cli;

/// <summary>A command's <c>--json</c> document: indented UTF-8, then a line end. A document stays in memory until it
/// is complete, so a command that fails half-way prints none of it, unless it grows past <see cref="Page"/> bytes (a
/// large map's dump): then it streams out a page at a time, and memory stays bounded whatever the map's size.</summary>
internal static class JsonOutput
{
    /// <summary>How much of a document is held before it is written out.</summary>
    const int Page = 1 << 20;

    public static void Write(TextWriter stdout, Action<Utf8JsonWriter> document)
    {
        using var stream = new TextWriterStream(stdout);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        try
        {
            document(writer);
        }
        catch
        {
            writer.Reset();   // drops what was not written out yet, instead of flushing half a document on dispose
            throw;
        }
        writer.Flush();
        stdout.WriteLine();
    }

    /// <summary>Writes out what the document holds once it reaches a page: called between the elements of
    /// collections that may be large.</summary>
    public static void WriteOutPage(Utf8JsonWriter json)
    {
        if (json.BytesPending >= Page) json.Flush();
    }
}
