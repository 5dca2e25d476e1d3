namespace BpfSharp.Debugging;

/// <summary>Unwinds a paused run whose session was disposed: thrown on the engine's thread from the tracer, caught
/// where the session started the run.</summary>
internal sealed class DebugAbandonedException() : Exception("the debug session ended the run");
