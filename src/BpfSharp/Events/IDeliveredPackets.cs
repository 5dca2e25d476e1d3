using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>Where a replay worker puts the packets a program delivers: the output captures themselves when one worker
/// replays, a worker's batch when several do (merged into the captures in packet order afterwards).</summary>
internal interface IDeliveredPackets
{
    /// <summary>Takes capture packet <paramref name="packet"/> as the program left it; <paramref name="target"/> is
    /// where it was redirected, or null.</summary>
    void Write(long packet, RedirectTarget? target, ReadOnlySpan<byte> frame, long timestampNs, int originalLength);
}
