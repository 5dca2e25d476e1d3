using System.Text;

namespace BpfSharp.Tests.Verification.Selftests;

/// <summary>The agreement table over the selftest programs the kernel verified: agree-accept, agree-reject (and how
/// many of those with the kernel's own line), accepts-kernel-refuses, refuses-kernel-accepts, not verified (a program
/// type whose context BpfSharp's verifier does not know) and cannot-load, each counted, none skipped silently.</summary>
public sealed class SelftestTable
{
    public int AgreeAccept { get; private set; }
    public int AgreeReject { get; private set; }
    public int AgreeRejectWithKernelLine { get; private set; }
    public int AcceptsKernelRefuses { get; private set; }
    public int RefusesKernelAccepts { get; private set; }
    public int NotVerified { get; private set; }
    public int CannotLoad { get; private set; }
    public int KernelDidNotLoad { get; private set; }
    public int MissingInput { get; private set; }

    /// <summary>One line per program that does not agree (verdict, or refusal without the kernel's line).</summary>
    public List<string> Disagreements { get; } = new();

    /// <summary>Why programs cannot be loaded, by reason, most frequent first.</summary>
    public List<(string Reason, int Count)> CannotLoadReasons { get; } = new();

    public static SelftestTable Measure(IEnumerable<KernelSelftest> tests)
    {
        var table = new SelftestTable();
        var reasons = new Dictionary<string, int>();
        foreach (var test in tests)
        {
            if (test.KernelVerdict == "not-loaded") { table.KernelDidNotLoad++; continue; }
            if (test.MissingInput is not null) { table.MissingInput++; continue; }
            using var run = SelftestRun.Load(test);
            var kernelAccepts = test.KernelVerdict == "accept";
            switch (run.Verdict)
            {
                case SelftestVerdict.CannotLoad:
                    table.CannotLoad++;
                    var reason = Reason(run.Message!);
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                    break;
                case SelftestVerdict.NotVerified:
                    table.NotVerified++;
                    break;
                case SelftestVerdict.Accept when kernelAccepts:
                    table.AgreeAccept++;
                    break;
                case SelftestVerdict.Accept:
                    table.AcceptsKernelRefuses++;
                    table.Disagreements.Add($"ACCEPTS {test}: kernel: {test.KernelErrorLine}");
                    break;
                case SelftestVerdict.Reject when kernelAccepts:
                    table.RefusesKernelAccepts++;
                    table.Disagreements.Add($"REFUSES {test}: {run.Message}");
                    break;
                default:
                    table.AgreeReject++;
                    if (run.CarriesKernelLine(test)) table.AgreeRejectWithKernelLine++;
                    else table.Disagreements.Add($"LINE {test}: kernel: {test.KernelErrorLine} | ours: {run.Message}");
                    break;
            }
        }
        table.CannotLoadReasons.AddRange(reasons.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value)));
        return table;
    }

    /// <summary>A load error without its place (section, instruction, program, source line), so that errors of one
    /// cause count together and read as a cause.</summary>
    public static string Reason(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Replace(message, @"^(section [^,]+, )?insn \d+( \([^)]*\))?: ", "");
        m = System.Text.RegularExpressions.Regex.Replace(m, @"^[A-Za-z_][A-Za-z0-9_]*: (?=call to helper|lddw|call to)", "");
        m = System.Text.RegularExpressions.Regex.Replace(m, @" at [^ ,]+:\d+:\d+", "");
        m = System.Text.RegularExpressions.Regex.Replace(m, @"'[^']*'", "'…'");
        return m;
    }

    public override string ToString()
    {
        var verified = AgreeAccept + AgreeReject + AcceptsKernelRefuses + RefusesKernelAccepts;
        var text = new StringBuilder();
        text.AppendLine("| | programs |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| agree: accept | {AgreeAccept} |");
        text.AppendLine($"| agree: refuse | {AgreeReject} ({AgreeRejectWithKernelLine} with the kernel's own line) |");
        text.AppendLine($"| BpfSharp accepts, kernel refuses | {AcceptsKernelRefuses} |");
        text.AppendLine($"| BpfSharp refuses, kernel accepts | {RefusesKernelAccepts} |");
        text.AppendLine($"| not verified (program type's context unknown to BpfSharp) | {NotVerified} |");
        text.AppendLine($"| cannot load | {CannotLoad} |");
        text.AppendLine($"| kernel did not load (EPERM: fentry/fexit/lsm/iter, arena) | {KernelDidNotLoad} |");
        text.AppendLine($"| input not in the corpus (custom BTF) | {MissingInput} |");
        if (verified > 0)
            text.AppendLine($"same verdict: {100.0 * (AgreeAccept + AgreeReject) / verified:F1} % of {verified} verified; " +
                $"kernel's line: {(AgreeReject == 0 ? 0 : 100.0 * AgreeRejectWithKernelLine / AgreeReject):F1} % of agreed refusals");
        foreach (var (reason, count) in CannotLoadReasons) text.AppendLine($"  cannot load ×{count}: {reason}");
        return text.ToString();
    }
}
