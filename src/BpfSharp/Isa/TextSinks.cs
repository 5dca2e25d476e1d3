using System.Text;

namespace BpfSharp.Isa;

/// <summary>Where the formatter writes. A generic sink (struct or ref struct) keeps formatting free of boxing and,
/// for <see cref="SpanSink"/>, of allocation.</summary>
internal interface ITextSink
{
    void Write(scoped ReadOnlySpan<char> text, TextKind kind);
}

/// <summary>Collects plain text.</summary>
internal readonly struct StringBuilderSink(StringBuilder builder) : ITextSink
{
    public void Write(scoped ReadOnlySpan<char> text, TextKind kind) => builder.Append(text);
}

/// <summary>Writes into a caller's buffer (for <see cref="ISpanFormattable"/>); remembers if it did not fit.</summary>
internal ref struct SpanSink(Span<char> destination) : ITextSink
{
    readonly Span<char> destination = destination;

    public int Written { get; private set; }

    public bool Overflowed { get; private set; }

    public void Write(scoped ReadOnlySpan<char> text, TextKind kind)
    {
        if (Overflowed || !text.TryCopyTo(destination[Written..]))
            Overflowed = true;
        else
            Written += text.Length;
    }
}

/// <summary>Forwards to a host's <see cref="DisassemblyOutput"/>.</summary>
internal readonly struct OutputSink(DisassemblyOutput output) : ITextSink
{
    public void Write(scoped ReadOnlySpan<char> text, TextKind kind) => output.Write(text, kind);
}
