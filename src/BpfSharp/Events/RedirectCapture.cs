using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>The capture a replay wrote a redirect target's packets to (<see cref="CaptureOutputs"/>).</summary>
/// <param name="Path">The capture file.</param>
/// <param name="Target">Where the program redirected them.</param>
/// <param name="Packets">How many.</param>
internal sealed record RedirectCapture(string Path, RedirectTarget Target, long Packets);
