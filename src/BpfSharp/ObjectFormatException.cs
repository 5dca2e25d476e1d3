namespace BpfSharp;

/// <summary>Bytes that are not a valid BPF program or object; the location says where.</summary>
public sealed class ObjectFormatException(string message, string? section = null, long fileOffset = -1,
    int instructionIndex = -1, Exception? inner = null)
    : BpfException(Location.Prefix(section, fileOffset, instructionIndex) + message, inner)
{
    /// <summary>The ELF section the error is in, if known.</summary>
    public string? Section { get; } = section;

    /// <summary>The byte offset in the file, or -1.</summary>
    public long FileOffset { get; } = fileOffset;

    /// <summary>The instruction slot index, or -1.</summary>
    public int InstructionIndex { get; } = instructionIndex;

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; } = message;
}
