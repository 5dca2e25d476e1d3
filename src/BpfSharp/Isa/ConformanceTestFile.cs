using System.Globalization;
using BpfSharp.Isa.AssemblerInternal;

namespace BpfSharp.Isa;

/// <summary>A bpf_conformance <c>.data</c> test file, read as the upstream parser (<c>lib/src/bpf_test_parser.cc</c>)
/// reads it: lines switch section on <c>--</c> directives (<c>asm</c>, <c>result</c>, <c>mem</c>, <c>raw</c>,
/// <c>no register offset</c>, <c> c</c>, <c>error</c>, matched as substrings in that order), <c>#</c> starts a
/// comment, <c>raw</c> wins over <c>asm</c>. A file upstream would skip (unknown directive, neither result nor
/// error, no instructions) has <see cref="IsSkipped"/> set and an empty <see cref="Program"/>.</summary>
internal sealed class ConformanceTestFile
{
    readonly List<SourceLine> rawLines;

    ConformanceTestFile(string name, Instruction[] program, byte[] memory, ulong? result, string? error,
        string? skipReason, List<SourceLine> rawLines)
    {
        Name = name;
        Program = program;
        Memory = memory;
        ExpectedResult = result;
        ExpectedError = error;
        SkipReason = skipReason;
        this.rawLines = rawLines;
    }

    /// <summary>The file name, or what the caller called the text.</summary>
    public string Name { get; }

    /// <summary>The instructions, from <c>-- raw</c> if present, else assembled from <c>-- asm</c>; empty when skipped.</summary>
    public Instruction[] Program { get; }

    /// <summary>The <c>-- mem</c> bytes the program gets in r1 (empty when there are none).</summary>
    public byte[] Memory { get; }

    /// <summary>The expected 64-bit r0 (the last <c>-- result</c> line); null when the file has none.</summary>
    public ulong? ExpectedResult { get; }

    /// <summary>The expected error text (the last <c>-- error</c> line); null when the file has none.</summary>
    public string? ExpectedError { get; }

    /// <summary>Whether upstream would skip this file rather than run it.</summary>
    public bool IsSkipped => SkipReason is not null;

    /// <summary>Why upstream would skip the file, in its words ("Unknown directive", "No result or error",
    /// "No instructions"); null when it runs.</summary>
    public string? SkipReason { get; }

    /// <summary>Reads a <c>.data</c> file; throws <see cref="AssemblerException"/> (with the file's line number)
    /// when its assembly, result, raw or memory text cannot be read.</summary>
    public static ConformanceTestFile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Reads the text of a <c>.data</c> file; see <see cref="Load"/>.</summary>
    public static ConformanceTestFile Parse(string text, string name = "")
    {
        var sections = DataFileSections.Read(text);
        var noRaw = new List<SourceLine>();
        if (sections.UnknownDirective is { } unknown)
            return Skipped(name, $"Unknown directive {unknown.Text} (line {unknown.Number})", noRaw);
        if (sections.Result is null && sections.Error is null)
            return Skipped(name, "No result or error", sections.Raw);

        var result = sections.Result is { } r ? ParseUInt64(r.Text.Trim(), r.Number, "result") : (ulong?)null;
        var program = sections.Raw.Count > 0
            ? sections.Raw.SelectMany(Tokens).Select(t => Instruction.FromUInt64(ParseUInt64(t.Token, t.Line.Number, "raw instruction"))).ToArray()
            : Assembler.Assemble(sections.Assembly);
        if (program.Length == 0)
            return Skipped(name, "No instructions", sections.Raw);
        var memory = sections.Memory.SelectMany(Tokens).Select(t => ParseByte(t.Token, t.Line.Number)).ToArray();
        return new ConformanceTestFile(name, program, memory, result, sections.Error?.Text, null, sections.Raw);
    }

    /// <summary>Reads the <c>-- raw</c> section as lines of eight hex bytes, one instruction per line. The suite's
    /// 45 <c>negative/unused-*.data</c> files are written this way although the upstream parser reads every token as a
    /// whole 64-bit instruction (and then skips them for having no result); this gives the instructions they mean,
    /// which a runtime must refuse to load.</summary>
    public Instruction[] ReadRawAsByteRows()
    {
        var program = new Instruction[rawLines.Count];
        var slot = new byte[Instruction.Size];
        for (var i = 0; i < rawLines.Count; i++)
        {
            var bytes = Tokens(rawLines[i]).ToList();
            if (bytes.Count != Instruction.Size)
                throw new AssemblerException($"Raw line is not eight hex bytes: {rawLines[i].Text.Trim()}", rawLines[i].Number);
            for (var b = 0; b < bytes.Count; b++)
                slot[b] = bytes[b].Token.Length == 2 && byte.TryParse(bytes[b].Token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new AssemblerException($"Invalid raw byte: {bytes[b].Token}", rawLines[i].Number);
            program[i] = Instruction.Read(slot);
        }
        return program;
    }

    static ConformanceTestFile Skipped(string name, string reason, List<SourceLine> raw) =>
        new(name, [], [], null, null, reason, raw);

    static IEnumerable<(string Token, SourceLine Line)> Tokens(SourceLine line) =>
        line.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => (t, line));

    /// <summary>Upstream reads result and raw values with <c>std::stoull</c>: hex with <c>0x</c>, else decimal.</summary>
    static ulong ParseUInt64(string text, int line, string what) =>
        Numbers.TryUInt64(text, out var value) ? value : throw new AssemblerException($"Invalid {what}: {text}", line);

    /// <summary>Upstream reads memory with <c>&gt;&gt; std::hex</c> into a u32 and keeps the low byte of each token.</summary>
    static byte ParseByte(string token, int line)
    {
        var digits = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token;
        return digits.Length is > 0 and <= 8 && uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? (byte)value
            : throw new AssemblerException($"Invalid memory byte: {token}", line);
    }
}
