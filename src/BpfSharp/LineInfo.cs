namespace BpfSharp;

/// <summary>A source line for an instruction (<c>struct bpf_line_info</c>): file, line, column and the line's text,
/// which clang stores in the BTF string section.</summary>
public sealed record LineInfo(int InstructionIndex, string File, int Line, int Column, string Text)
{
    /// <summary>"file.c:42:7".</summary>
    public string Location => $"{File}:{Line}:{Column}";
}
