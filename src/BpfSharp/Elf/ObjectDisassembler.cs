using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Elf;

/// <summary>Disassembles a whole object as <c>llvm-objdump-19 -d FILE</c> does: a file-format line, then for each
/// executable section with bytes a <c>Disassembly of section NAME:</c> heading and its code, headed by symbol
/// labels. This is where ELF meets the ISA: symbols become <see cref="Disassembler"/> labels.</summary>
internal static class ObjectDisassembler
{
    /// <summary>The full listing as text. <paramref name="fileName"/> goes in the first line, as llvm-objdump prints
    /// the path it was given. With <paramref name="sections"/>, only the named sections are listed, executable or not
    /// (as <c>llvm-objdump -d -j NAME</c>); names the object does not have are ignored.</summary>
    public static string Disassemble(ObjectFile obj, string fileName, IEnumerable<string>? sections = null)
    {
        var output = new StringOutput();
        Disassemble(obj, fileName, output, sections);
        return output.ToString();
    }

    /// <summary>The full listing, piece by piece with each piece's <see cref="TextKind"/>.</summary>
    public static void Disassemble(ObjectFile obj, string fileName, DisassemblyOutput output, IEnumerable<string>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(output);
        var only = sections?.ToHashSet(StringComparer.Ordinal);
        var sink = new OutputSink(output);
        output.Write("\n", TextKind.Text);
        output.Write($"{fileName}:\tfile format elf64-bpf", TextKind.Heading);
        output.Write("\n", TextKind.Text);
        foreach (var section in obj.Sections)
        {
            var listed = only is null ? section.IsExecutable && section.Type != ElfSectionType.NoBits : only.Contains(section.Name);
            if (!listed || section.Size == 0 || section.Type == ElfSectionType.Null)
                continue;
            output.Write("\n", TextKind.Text);
            output.Write($"Disassembly of section {section.Name}:", TextKind.Heading);
            output.Write("\n", TextKind.Text);
            Disassembler.WriteCode(section.Data.Span, section.Size, Labels(obj, section), ref sink);
        }
    }

    /// <summary>The section's symbols as llvm-objdump sees them: named, not STT_SECTION or STT_FILE, sorted by address,
    /// name and type, with the section's own name at offset 0 when no symbol is there.</summary>
    static List<DisassemblySymbol> Labels(ObjectFile obj, ElfSection section)
    {
        var symbols = obj.SymbolsIn(section)
            .Where(s => s.Index != 0 && s.Name.Length > 0 && s.Type is not (ElfSymbolType.Section or ElfSymbolType.File))
            .Select(s => (s.Value, s.Name, s.Type))
            .ToList();
        if (!symbols.Any(s => s.Value == 0))
            symbols.Add((0, section.Name, section.IsExecutable ? ElfSymbolType.Func : ElfSymbolType.Object));
        // Only in executable sections does llvm-objdump dump data symbols as bytes instead of decoding them.
        return symbols
            .OrderBy(s => s.Value).ThenBy(s => s.Name, Utf8Order.Instance).ThenBy(s => s.Type)
            .Select(s => new DisassemblySymbol(s.Value, s.Name,
                section.IsExecutable && s.Type is ElfSymbolType.Object or ElfSymbolType.Common))
            .ToList();
    }

    /// <summary>LLVM compares names as bytes; UTF-16 ordinal order differs for characters beyond the BMP.</summary>
    sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }

    sealed class StringOutput : DisassemblyOutput
    {
        readonly StringBuilder text = new();

        public override void Write(ReadOnlySpan<char> piece, TextKind kind) => text.Append(piece);

        public override string ToString() => text.ToString();
    }
}
