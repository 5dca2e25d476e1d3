namespace BpfSharp.Events;

/// <summary>The packets that got one verdict.</summary>
/// <param name="Name">The verdict's kernel name (<see cref="Programs.PacketVerdict.Name"/>).</param>
/// <param name="ReturnValue">The return value; for socket filters, which keep any length, the first one seen.</param>
/// <param name="Packets">How many packets.</param>
/// <param name="Bytes">Their bytes as captured (after Ethernet framing).</param>
internal sealed record VerdictTally(string Name, uint ReturnValue, long Packets, long Bytes);
