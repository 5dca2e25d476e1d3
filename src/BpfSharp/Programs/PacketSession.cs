namespace BpfSharp.Programs;

/// <summary>A test run's memory for a packet program (skb or XDP) that can take packet after packet: each
/// <see cref="Load"/> rebuilds the context and the packet in place as a fresh test run would, without allocating
/// again, which is what replaying a capture costs most otherwise.</summary>
internal abstract class PacketSession : ContextSession
{
    /// <summary>Makes the session hold a fresh context for <paramref name="frame"/>, an Ethernet frame, with every
    /// context field the program or a helper changed in the previous run back at its default.</summary>
    /// <exception cref="InvalidRunException">The frame is one the kernel's test run would refuse (too short, too long).</exception>
    public abstract void Load(ReadOnlySpan<byte> frame);

    /// <summary>The frame after the run, from its MAC header, as the next hop would get it: with the program's rewrites,
    /// and for XDP from <c>data</c> to <c>data_end</c> (the metadata stays behind).</summary>
    public abstract ReadOnlySpan<byte> Output { get; }
}
