namespace BpfSharp.Isa;

/// <summary>Text in the bpf_conformance assembly dialect, or a conformance <c>.data</c> file around it, that cannot
/// be read. The message starts with the upstream assembler's wording where it has one ("Invalid mnemonic: ldxq")
/// and ends with the 1-based line (" (line 3)").</summary>
public sealed class AssemblerException(string reason, int line)
    : BpfException(line > 0 ? $"{reason} (line {line})" : reason)
{
    /// <summary>The 1-based line the error is on, or 0 when it concerns the whole text.</summary>
    public int Line { get; } = line;

    /// <summary>The message without the line suffix.</summary>
    public string Reason { get; } = reason;
}
