namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>One line of assembly with its 1-based number in the text it came from (a whole <c>.data</c> file
/// keeps its own numbering, so errors point into the file).</summary>
internal readonly record struct SourceLine(int Number, string Text)
{
    /// <summary>Splits text into numbered lines, dropping a trailing carriage return as the upstream parser does.</summary>
    public static IEnumerable<SourceLine> Split(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            yield return new SourceLine(i + 1, lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i]);
    }
}
