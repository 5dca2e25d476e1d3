namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>The sections of a <c>.data</c> file, split as the upstream parser splits them; values are not yet
/// interpreted. Lines keep their numbers so errors point into the file.</summary>
internal sealed class DataFileSections
{
    enum Section { Ignore, Assembly, Result, Memory, Raw, Error }

    public List<SourceLine> Assembly { get; } = [];
    public List<SourceLine> Memory { get; } = [];
    public List<SourceLine> Raw { get; } = [];

    /// <summary>The last non-empty line of <c>-- result</c>.</summary>
    public SourceLine? Result { get; private set; }

    /// <summary>The last non-empty line of <c>-- error</c>.</summary>
    public SourceLine? Error { get; private set; }

    /// <summary>The first directive upstream does not know; reading stops there and the file is skipped.</summary>
    public SourceLine? UnknownDirective { get; private set; }

    public static DataFileSections Read(string text)
    {
        var sections = new DataFileSections();
        var section = Section.Ignore;
        foreach (var raw in SourceLine.Split(text))
        {
            var hash = raw.Text.IndexOf('#');
            var line = hash < 0 ? raw : raw with { Text = raw.Text[..hash] };
            if (line.Text.Contains("--", StringComparison.Ordinal))
            {
                var next = Directive(line.Text);
                if (next is null)
                {
                    sections.UnknownDirective = line;
                    return sections;
                }
                section = next.Value;
                continue;
            }
            // Upstream skips only truly empty lines: a blank-but-spaces line still counts (and is then ignored
            // by every reader but result/error, where it would be an unreadable value).
            if (line.Text.Length == 0) continue;
            switch (section)
            {
                case Section.Assembly: sections.Assembly.Add(line); break;
                case Section.Result: sections.Result = line; break;
                case Section.Memory: sections.Memory.Add(line); break;
                case Section.Raw: sections.Raw.Add(line); break;
                case Section.Error: sections.Error = line; break;
            }
        }
        return sections;
    }

    /// <summary>Substring tests in upstream's order: "-- c" must not catch "-- asm", and a line naming two
    /// sections goes to the first one tested.</summary>
    static Section? Directive(string line) =>
        line.Contains("asm", StringComparison.Ordinal) ? Section.Assembly
        : line.Contains("result", StringComparison.Ordinal) ? Section.Result
        : line.Contains("mem", StringComparison.Ordinal) ? Section.Memory
        : line.Contains("raw", StringComparison.Ordinal) ? Section.Raw
        : line.Contains("no register offset", StringComparison.Ordinal) ? Section.Ignore
        : line.Contains(" c", StringComparison.Ordinal) ? Section.Ignore
        : line.Contains("error", StringComparison.Ordinal) ? Section.Error
        : null;
}
