namespace BpfSharp.Isa;

/// <summary>Receives disassembly text piece by piece with its <see cref="TextKind"/>; a terminal host colours the
/// pieces, a file host concatenates them. Line ends arrive as <c>"\n"</c> pieces of kind <see cref="TextKind.Text"/>.</summary>
internal abstract class DisassemblyOutput
{
    /// <summary>Writes one piece of text.</summary>
    public abstract void Write(ReadOnlySpan<char> text, TextKind kind);
}
