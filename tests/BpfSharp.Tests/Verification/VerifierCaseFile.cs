using BpfSharp.Cli.Kernel;
using System.Globalization;
using System.Text.RegularExpressions;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Isa.AssemblerInternal;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Tests.Verification;

/// <summary>Reads and (for the recorder) rewrites <c>*.case</c> files; the format is described in Cases/FORMAT.md.
/// A file holds one or more cases, each starting at <c>== case NAME</c>: <c>key: value</c> header lines
/// (<c>program</c>, <c>prog_flags</c>, <c>map</c> repeated, <c>twin</c>, <c>about</c> repeated), then <c>-- asm</c>
/// and the program, then <c>-- kernel</c> and the recorded answer (<c>verdict</c>, <c>errno</c>, <c>insn</c>,
/// <c>detail</c> repeated, <c>error</c>). Lines starting with <c>#</c> outside the program are comments.</summary>
internal static partial class VerifierCaseFile
{
    /// <summary>The extension of case files.</summary>
    public const string Extension = ".case";

    const string CaseMarker = "== case ", AsmMarker = "-- asm", KernelMarker = "-- kernel";

    sealed class Block(string name, int start)
    {
        public string Name { get; } = name;
        public int Start { get; } = start;          // 0-based index of "== case"
        public List<(int Index, string Key, string Value)> Header { get; } = [];
        public List<SourceLine> Asm { get; } = [];
        public int LastCode = -1;                    // 0-based index of the last non-comment program line
        public int KernelStart = -1, KernelEnd = -1; // "-- kernel" and one past its last key line
        public List<(int Index, string Key, string Value)> KernelKeys { get; } = [];
    }

    /// <summary>Reads every case of a file; <paramref name="relativeName"/> is how cases name their file.</summary>
    public static IReadOnlyList<VerifierCase> Read(string path, string relativeName) =>
        Parse(File.ReadAllLines(path), relativeName).Select(b => ToCase(b, relativeName)).ToList();

    /// <summary>The file's text with each named case's <c>-- kernel</c> section replaced by (or given) the record;
    /// cases without a record keep theirs.</summary>
    public static string WithKernelRecords(string text, IReadOnlyDictionary<string, KernelRecord> records, string relativeName)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        // Edit from the last case up so earlier indices stay valid.
        foreach (var block in Parse(lines, relativeName).Reverse())
        {
            if (!records.TryGetValue(block.Name, out var record)) continue;
            var replacement = Render(record);
            if (block.KernelStart >= 0)
            {
                lines.RemoveRange(block.KernelStart, block.KernelEnd - block.KernelStart);
                lines.InsertRange(block.KernelStart, replacement);
            }
            else
            {
                if (block.LastCode < 0) throw Error(relativeName, block.Start, $"case {block.Name} has no program");
                lines.InsertRange(block.LastCode + 1, replacement);
            }
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The <c>-- kernel</c> section for a record.</summary>
    public static IReadOnlyList<string> Render(KernelRecord record)
    {
        if (record.Accepted) return [KernelMarker, "verdict: accept"];
        var lines = new List<string> { KernelMarker, "verdict: reject", $"errno: {record.Errno}" };
        if (record.Instruction is int insn) lines.Add($"insn: {insn}");
        if (record.Detail.Length > 0) lines.AddRange(record.Detail.Split('\n').Select(d => $"detail: {d}"));
        lines.Add($"error: {record.Error}");
        return lines;
    }

    static IEnumerable<Block> Parse(IReadOnlyList<string> lines, string file)
    {
        var blocks = new List<Block>();
        Block? current = null;
        var section = "";
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (line.StartsWith(CaseMarker, StringComparison.Ordinal))
            {
                var name = line[CaseMarker.Length..].Trim();
                if (name.Length == 0 || name.Any(char.IsWhiteSpace)) throw Error(file, i, $"bad case name '{name}'");
                blocks.Add(current = new Block(name, i));
                section = "header";
                continue;
            }
            if (trimmed == AsmMarker || trimmed == KernelMarker)
            {
                if (current is null) throw Error(file, i, $"{trimmed} before the first '== case'");
                section = trimmed == AsmMarker ? "asm" : "kernel";
                if (section == "kernel") (current.KernelStart, current.KernelEnd) = (i, i + 1);
                continue;
            }
            if (section == "asm")
            {
                current!.Asm.Add(new SourceLine(i + 1, line));
                var code = line.IndexOf('#') is var hash and >= 0 ? line[..hash] : line;
                if (code.Trim().Length > 0) current.LastCode = i;
                continue;
            }
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                continue;
            if (current is null) throw Error(file, i, "text before the first '== case' must be a comment");
            var colon = line.IndexOf(':');
            if (colon <= 0) throw Error(file, i, $"expected 'key: value', got '{line}'");
            var entry = (i, line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (section == "kernel")
            {
                if (current.KernelEnd != i) throw Error(file, i, "kernel keys must follow '-- kernel' without gaps");
                current.KernelKeys.Add(entry);
                current.KernelEnd = i + 1;
            }
            else current.Header.Add(entry);
        }
        return blocks;
    }

    static VerifierCase ToCase(Block b, string file)
    {
        ProgramType? type = null;
        var flags = 0u;
        var maps = new List<CaseMap>();
        string? twin = null, attach = null;
        var about = "";
        foreach (var (index, key, value) in b.Header)
        {
            switch (key)
            {
                case "program": type = ParseEnum<ProgramType>(value, file, index); break;
                case "prog_flags":
                    flags = value == "strict_alignment" ? VerifierCase.StrictAlignment
                        : throw Error(file, index, $"unknown prog_flags '{value}' (strict_alignment)");
                    break;
                case "map": maps.Add(ParseMap(value, maps.Count, file, index)); break;
                case "twin": twin = value; break;
                case "attach": attach = value; break;
                case "about": about = about.Length == 0 ? value : about + " " + value; break;
                default: throw Error(file, index, $"unknown key '{key}' (program, prog_flags, attach, map, twin, about)");
            }
        }
        if (type is null) throw Error(file, b.Start, $"case {b.Name} has no 'program:'");
        if (b.LastCode < 0) throw Error(file, b.Start, $"case {b.Name} has no '-- asm' program");
        Instruction[] code;
        try
        {
            code = Assembler.Assemble(b.Asm.Select(WithKfuncIds).ToList());
        }
        catch (AssemblerException e)
        {
            throw new FormatException($"{file}:{e.Line}: case {b.Name}: {e.Reason}", e);
        }
        var assembly = string.Join('\n', b.Asm.Select(l => l.Text)).Trim('\n');
        return new VerifierCase(b.Name, file, b.Start + 1, type.Value, flags, maps, assembly, code, twin, about, ParseKernel(b, file), attach);
    }

    /// <summary><c>call kfunc NAME</c>: a kfunc by its name, assembled as a kfunc call of BpfSharp's id for it (the
    /// harness writes the running kernel's BTF id in its place).</summary>
    static SourceLine WithKfuncIds(SourceLine line)
    {
        var match = KfuncCall().Match(line.Text);
        if (!match.Success) return line;
        var name = match.Groups[1].Value;
        var kfunc = Kfuncs.Find(name) ?? throw new AssemblerException($"no kfunc named {name}", line.Number);
        return line with { Text = string.Concat(line.Text.AsSpan(0, match.Index), $"call runtime {(int)kfunc.Id}", line.Text.AsSpan(match.Index + match.Length)) };
    }

    [GeneratedRegex(@"call\s+kfunc\s+(\w+)")]
    private static partial Regex KfuncCall();

    static KernelRecord? ParseKernel(Block b, string file)
    {
        if (b.KernelStart < 0) return null;
        var known = new[] { "verdict", "errno", "insn", "detail", "error" };
        var seen = new HashSet<string>();
        foreach (var (index, key, _) in b.KernelKeys)
            if (!known.Contains(key) || !seen.Add(key) && key != "detail")
                throw Error(file, index, $"unknown or repeated kernel key '{key}' ({string.Join(", ", known)}; only detail repeats)");
        var keys = b.KernelKeys.Where(k => k.Key != "detail").ToDictionary(k => k.Key, k => k.Value);
        var detail = string.Join('\n', b.KernelKeys.Where(k => k.Key == "detail").Select(k => k.Value));
        var verdict = keys.GetValueOrDefault("verdict");
        if (verdict == "accept") return new KernelRecord(true, "", null, "");
        if (verdict != "reject") throw Error(file, b.KernelStart, $"case {b.Name}: 'verdict:' must be accept or reject");
        int? insn = keys.TryGetValue("insn", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : null;
        return new KernelRecord(false, keys.GetValueOrDefault("errno", ""), insn, keys.GetValueOrDefault("error", ""), detail);
    }

    /// <summary><c>hash key=4 value=8 entries=1 [flags=0x1] [spin_lock=0] [timer=8]</c>.</summary>
    static CaseMap ParseMap(string value, int index, string file, int line)
    {
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw Error(file, line, "map: needs a type");
        var fields = new Dictionary<string, uint>();
        foreach (var word in words.Skip(1))
        {
            var eq = word.IndexOf('=');
            if (eq <= 0 || !TryNumber(word[(eq + 1)..], out var number)) throw Error(file, line, $"bad map field '{word}'");
            fields[word[..eq]] = number;
        }
        foreach (var key in fields.Keys)
            if (key is not ("key" or "value" or "entries" or "flags" or "spin_lock" or "timer"))
                throw Error(file, line, $"unknown map field '{key}' (key, value, entries, flags, spin_lock, timer)");
        var spec = new MapSpec($"map{index}", ParseEnum<MapType>(words[0], file, line), fields.GetValueOrDefault("key"),
            fields.GetValueOrDefault("value"), fields.GetValueOrDefault("entries"), fields.GetValueOrDefault("flags"));
        return new CaseMap(spec, fields.TryGetValue("spin_lock", out var offset) ? (int)offset : null,
            fields.TryGetValue("timer", out var timer) ? (int)timer : null);
    }

    static bool TryNumber(string text, out uint value) =>
        text.StartsWith("0x", StringComparison.Ordinal)
            ? uint.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>The kernel's lower-case spelling (<c>sched_cls</c>, <c>percpu_array</c>) to the enum member.</summary>
    static T ParseEnum<T>(string value, string file, int line) where T : struct, Enum =>
        value.Length > 0 && char.IsAsciiLetterLower(value[0]) && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
        && Enum.TryParse<T>(value.Replace("_", ""), ignoreCase: true, out var parsed) && Convert.ToInt64(parsed) != 0 // not Unspec
            ? parsed : throw Error(file, line, $"unknown {typeof(T).Name} '{value}'");

    static FormatException Error(string file, int index, string message) => new($"{file}:{index + 1}: {message}");
}
