namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>One line split the way upstream splits it: whitespace-separated words, the first being the mnemonic
/// (or <c>name:</c> for a label), one trailing comma dropped from each operand. <c>#</c> starts a comment.</summary>
internal sealed record Statement(string Mnemonic, List<string> Operands)
{
    public bool IsLabel => Mnemonic.EndsWith(':');

    public string LabelName => Mnemonic[..^1];

    /// <summary>Null for a line with nothing but blanks and comments.</summary>
    public static Statement? Parse(string line)
    {
        var hash = line.IndexOf('#');
        if (hash >= 0) line = line[..hash];
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return null;
        var operands = words.Skip(1).Select(w => w.EndsWith(',') ? w[..^1] : w).ToList();
        return new Statement(words[0], operands);
    }
}
