using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Cli.Kernel;
using BpfSharp.Execution.Fuzzing;
using BpfSharp.Isa;
using BpfSharp.Programs;

namespace BpfSharp.Cli.KernelFuzz;

/// <summary>One kind of disagreement between BpfSharp's verifier and the running kernel's, with how often it came
/// and its first program, minimised.</summary>
/// <param name="BpfSharpAccepts">True when BpfSharp accepted what the kernel refused (a safety bug), false for the
/// other way round (a program BpfSharp cannot run).</param>
/// <param name="Signature">What tells kinds apart: the refusing side's message with numbers blanked.</param>
internal sealed record KernelDisagreement(bool BpfSharpAccepts, string Signature, int Seed, long CaseNumber, ProgramType Type,
    Instruction[] Program, string KernelMessage, string BpfSharpMessage)
{
    public int Count { get; set; } = 1;

    /// <summary>The reproducer: both verdicts, the program disassembled and as hex.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(BpfSharpAccepts ? "# BpfSharp accepts, the kernel refuses" : "# BpfSharp refuses, the kernel accepts");
        text.AppendLine($"# seed {Seed} case {CaseNumber}, {Type} program, map 0: {VerifierProgramGenerator.Map.Spec}");
        text.AppendLine($"# kernel: {(KernelMessage.Length == 0 ? "accepted" : KernelMessage)}");
        text.AppendLine($"# BpfSharp: {(BpfSharpMessage.Length == 0 ? "accepted" : BpfSharpMessage)}");
        text.Append(Disassembler.Disassemble(Program));
        text.AppendLine("# hex");
        Span<byte> slot = stackalloc byte[Instruction.Size];
        foreach (var insn in Program)
        {
            insn.Write(slot);
            text.AppendLine(Convert.ToHexStringLower(slot));
        }
        return text.ToString();
    }
}

/// <summary>What a run found: verdict counts and the kinds of disagreement.</summary>
internal sealed record KernelFuzzReport(long Programs, long BothAccept, long BothRefuse, long AcceptsKernelRefuses, long RefusesKernelAccepts,
    TimeSpan Elapsed, IReadOnlyList<KernelDisagreement> Disagreements)
{
    public double ProgramsPerSecond => Programs / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>BpfSharp's verifier against the running kernel's (<c>bpf(BPF_PROG_LOAD)</c>, root) on random programs
/// aimed at the verifier's rules (<see cref="VerifierProgramGenerator"/>): every program both judge, each
/// disagreement kept by kind, the first of each kind minimised while the disagreement holds.</summary>
internal static partial class KernelDifferentialFuzzer
{
    /// <summary>Kinds minimised and kept; more are counted only.</summary>
    const int MaxKinds = 64;

    public static KernelFuzzReport Run(int seed, TimeSpan duration, long maxPrograms = long.MaxValue, TimeSpan? progressInterval = null,
        Action<KernelFuzzReport>? progress = null)
    {
        var generator = new VerifierProgramGenerator(seed);
        var kinds = new Dictionary<string, KernelDisagreement>();
        long programs = 0, bothAccept = 0, bothRefuse = 0, acceptsKernelRefuses = 0, refusesKernelAccepts = 0;
        var clock = Stopwatch.StartNew();
        var nextProgress = progressInterval ?? TimeSpan.MaxValue;
        KernelFuzzReport Report() => new(programs, bothAccept, bothRefuse, acceptsKernelRefuses, refusesKernelAccepts, clock.Elapsed,
            kinds.Values.OrderByDescending(k => k.BpfSharpAccepts).ThenByDescending(k => k.Count).ToList());
        while (programs < maxPrograms && clock.Elapsed < duration)
        {
            var (type, code) = generator.Next();
            var caseNumber = programs++;
            var ours = LocalVerifier.Verify("fuzz", type, [VerifierProgramGenerator.Map], code);
            var kernel = KernelVerifier.Load(type, [VerifierProgramGenerator.Map], code, "fuzz", log: false);
            if (kernel.Accepted == (ours is null))
            {
                if (kernel.Accepted) bothAccept++; else bothRefuse++;
            }
            else
            {
                var bpfSharpAccepts = ours is null;
                if (bpfSharpAccepts) acceptsKernelRefuses++; else refusesKernelAccepts++;
                var full = KernelVerifier.Load(type, [VerifierProgramGenerator.Map], code, "fuzz");
                var signature = (bpfSharpAccepts ? "accepts: " : "refuses: ") + Blank(bpfSharpAccepts ? full.Message : ours!.Reason);
                if (kinds.TryGetValue(signature, out var known)) known.Count++;
                else if (kinds.Count < MaxKinds) kinds[signature] = Minimised(seed, caseNumber, type, code, bpfSharpAccepts, signature);
            }
            if (clock.Elapsed >= nextProgress)
            {
                progress?.Invoke(Report());
                nextProgress += progressInterval!.Value;
            }
        }
        return Report();
    }

    static KernelDisagreement Minimised(int seed, long caseNumber, ProgramType type, Instruction[] code, bool bpfSharpAccepts, string signature)
    {
        bool StillDisagrees(FuzzCase candidate)
        {
            var program = candidate.Programs[0];
            var ours = LocalVerifier.Verify("fuzz", type, [VerifierProgramGenerator.Map], program);
            if ((ours is null) != bpfSharpAccepts) return false;
            var kernel = KernelVerifier.Load(type, [VerifierProgramGenerator.Map], program, "fuzz", log: false);
            return kernel.Accepted != bpfSharpAccepts;
        }
        var minimal = Minimizer.Minimize(new FuzzCase([code], [], 0), StillDisagrees).Programs[0];
        var kernel = KernelVerifier.Load(type, [VerifierProgramGenerator.Map], minimal, "fuzz");
        var ours = LocalVerifier.Verify("fuzz", type, [VerifierProgramGenerator.Map], minimal);
        return new KernelDisagreement(bpfSharpAccepts, signature, seed, caseNumber, type, minimal,
            kernel.Accepted ? "" : kernel.Message, ours is null ? "" : $"insn {ours.InstructionIndex}: {ours.Reason}");
    }

    /// <summary>A message with its numbers blanked, so that one rule at different offsets counts once.</summary>
    static string Blank(string message) => Numbers().Replace(message, "N");

    [GeneratedRegex(@"-?(0x[0-9a-f]+|\d+)")]
    private static partial Regex Numbers();
}
