using System.Text.RegularExpressions;

namespace BpfSharp.Cli.Kernel;

/// <summary>Reads the kernel verifier's log (log_level 1): the line that says why a program was refused, and the
/// instruction the walk was at. The verifier prints each instruction it checks as <c>N: (op) text</c>, then on
/// failure its reason, then statistics (<c>processed N insns ...</c>); a few reasons are followed by a dump of the
/// states involved (<c>cur state:</c> / <c>old state:</c> after "infinite loop detected"). Two kernel habits glue text
/// onto a line: a jump is printed without its newline (the next state or message follows on the same line:
/// <c>2: (55) if r0 != 0x0 goto pc-2 infinite loop detected at insn 1</c>), and a few messages lack their own
/// newline (<c>expected prog array map for tail callprocessed 3 insns ...</c>); both are split apart here.</summary>
internal static partial class VerifierLog
{
    /// <summary>The last line of the log that is neither statistics nor a state dump; empty for an empty log.</summary>
    public static string ErrorLine(string log) => Lines(log).LastOrDefault(IsMeaningful) ?? "";

    /// <summary>The index of the last instruction printed before <see cref="ErrorLine"/>, or null when the refusal
    /// came before the walk (control-flow checks name their instructions in the message instead).</summary>
    public static int? Instruction(string log)
    {
        var lines = Lines(log);
        var at = LastInstructionLine(lines);
        return at < 0 ? null : int.Parse(InstructionLine().Match(lines[at]).Groups[1].Value);
    }

    /// <summary>What the verifier printed between the instruction it refused and <see cref="ErrorLine"/>: often the
    /// precise reason behind a general last line ("invalid access to map value, value_size=16 off=16 size=1" before
    /// "R0 max value is outside of the allowed memory range"). Empty when it printed only the error line.</summary>
    public static IReadOnlyList<string> Details(string log)
    {
        var lines = Lines(log);
        var error = lines.FindLastIndex(IsMeaningful);
        var at = LastInstructionLine(lines);
        return at < 0 ? [] : lines[(at + 1)..error].Where(IsMeaningful).ToList();
    }

    static int LastInstructionLine(List<string> lines)
    {
        var error = lines.FindLastIndex(IsMeaningful);
        for (var i = error - 1; i >= 0; i--)
            if (InstructionLine().IsMatch(lines[i])) return i;
        return -1;
    }

    static List<string> Lines(string log) => log.Split('\n').Select(l => l.TrimEnd('\r', ' ')).SelectMany(Unglue).ToList();

    static IEnumerable<string> Unglue(string line)
    {
        var statistics = GluedStatistics().Match(line);
        if (statistics.Success && statistics.Index > 0)
        {
            foreach (var part in Unglue(line[..statistics.Index])) yield return part;
            yield return line[statistics.Index..];
            yield break;
        }
        var jump = GluedAfterJump().Match(line);
        if (jump.Success && !StateLine().IsMatch(jump.Groups[2].Value))
        {
            yield return jump.Groups[1].Value;
            yield return jump.Groups[2].Value;
            yield break;
        }
        yield return line;
    }

    static bool IsMeaningful(string line) => line.Length > 0 && !Trailer().IsMatch(line);

    [GeneratedRegex(@"^(processed \d+ insns|verification time|stack depth|cur state:|old state:)")]
    private static partial Regex Trailer();

    [GeneratedRegex(@"^(\d+): \(")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"processed \d+ insns \(limit \d+\)")]
    private static partial Regex GluedStatistics();

    /// <summary>A printed jump (<c>goto pc+N</c>) followed on the same line by something else.</summary>
    [GeneratedRegex(@"^(\d+: \([0-9a-f]{2}\) .*?goto pc[+-]\d+)\s+(.+)$")]
    private static partial Regex GluedAfterJump();

    /// <summary>The state the verifier prints after a jump: <c>5: R0=...</c> or <c>; R0=...</c>.</summary>
    [GeneratedRegex(@"^(\d+: R|; |\d+: frame)")]
    private static partial Regex StateLine();
}
