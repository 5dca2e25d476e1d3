namespace BpfSharp.Events;

/// <summary>How far a <see cref="CaptureReplay"/> has got.</summary>
/// <param name="Packets">Packets run so far.</param>
/// <param name="CaptureBytesRead">Bytes of the capture file read so far (compare with <see cref="CaptureReader.Length"/>).</param>
internal readonly record struct ReplayProgress(long Packets, long CaptureBytesRead);
