namespace BpfSharp;

/// <summary>Formats where in an object or program an error happened, as a message prefix
/// ("section tc, insn 5 (file offset 0x168): ").</summary>
internal static class Location
{
    public static string Prefix(string? section, long fileOffset, int instructionIndex)
    {
        var head = string.Join(", ", new[]
        {
            section is null ? null : $"section {section}",
            instructionIndex < 0 ? null : $"insn {instructionIndex}",
        }.OfType<string>());
        if (fileOffset >= 0)
            head = head.Length == 0 ? $"file offset 0x{fileOffset:x}" : $"{head} (file offset 0x{fileOffset:x})";
        return head.Length == 0 ? "" : head + ": ";
    }
}
