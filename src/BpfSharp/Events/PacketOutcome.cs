using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>What a program did with one packet (<see cref="PacketRunner.Run"/>).</summary>
internal readonly ref struct PacketOutcome(uint returnValue, int tailCalls, RedirectTarget? redirect, ReadOnlySpan<byte> frame)
{
    /// <summary>The return value as the kernel reports it (the low 32 bits of r0): the verdict.</summary>
    public uint ReturnValue { get; } = returnValue;

    /// <summary>Successful tail calls: the packet went through this many programs plus one.</summary>
    public int TailCalls { get; } = tailCalls;

    /// <summary>The last successful <c>bpf_redirect</c>, or null; it takes effect only with the redirect verdict.</summary>
    public RedirectTarget? Redirect { get; } = redirect;

    /// <summary>The frame after the run, from its MAC header, with the program's rewrites (XDP: from <c>data</c> to
    /// <c>data_end</c>, without metadata). Valid until the runner's next run.</summary>
    public ReadOnlySpan<byte> Frame { get; } = frame;
}
