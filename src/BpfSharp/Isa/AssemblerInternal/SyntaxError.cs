namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>Thrown by the helpers, which do not know the line; the driver turns it into an
/// <see cref="AssemblerException"/> that names the line.</summary>
internal sealed class SyntaxError(string reason) : Exception(reason);
