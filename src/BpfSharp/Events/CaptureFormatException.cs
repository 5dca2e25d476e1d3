namespace BpfSharp.Events;

/// <summary>A capture file that is not a valid pcap or pcapng file, or ends in the middle of a record; the message
/// names the file and the byte offset of the bad field ("trace.pcap, file offset 0x1f4: ...").</summary>
internal sealed class CaptureFormatException(string message, string file, long fileOffset, Exception? inner = null)
    : BpfException($"{file}, file offset 0x{fileOffset:x}: {message}", inner)
{
    /// <summary>The capture's name (its path, or what the caller named the stream).</summary>
    public string File { get; } = file;

    /// <summary>The byte offset of the field or record that is wrong.</summary>
    public long FileOffset { get; } = fileOffset;

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; } = message;
}
