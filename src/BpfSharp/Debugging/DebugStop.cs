namespace BpfSharp.Debugging;

/// <summary>Where and why a <see cref="DebugSession"/> stopped.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Description">In a few words: <c>breakpoint at drinks.c:18</c>, <c>tail call 1 of 33 through bar[0]:
/// serve_drink replaces bring_order</c>.</param>
/// <param name="Frame">The frame whose instruction is next (the innermost); for <see cref="StopReason.Exited"/> null.</param>
/// <param name="ReturnValue">r0 the run returned with, once it exited.</param>
/// <param name="Error">The run-time error that ended the run, or that the next instruction would raise.</param>
/// <param name="Breakpoint">The breakpoint that stopped the run, for <see cref="StopReason.Breakpoint"/>.</param>
public sealed record DebugStop(StopReason Reason, string Description, DebugFrame? Frame, ulong? ReturnValue = null, string? Error = null,
    Breakpoint? Breakpoint = null)
{
    /// <summary>Whether the run is over (it exited or failed): nothing more can run.</summary>
    public bool Ended => Frame is not { IsLive: true };

    /// <inheritdoc/>
    public override string ToString() => Description;
}
