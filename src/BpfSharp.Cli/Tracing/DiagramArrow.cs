namespace BpfSharp.Cli.Tracing;

/// <summary>An arrow of the trace diagram between lanes: a call or callback (to the right, into the new frame's
/// header) or a return (to the left, carrying r0). <see cref="ToLane"/> is -1 for the host, left of every lane.</summary>
internal sealed record DiagramArrow(bool IsReturn, int FromLane, double FromY, int ToLane, double ToY, string Label);
