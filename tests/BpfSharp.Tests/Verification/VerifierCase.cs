using BpfSharp.Btf;
using BpfSharp.Cli.Kernel;
using BpfSharp.Isa;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;
using BpfSharp.Verification;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Tests.Verification;

/// <summary>One verifier case: a raw program, what it runs as, and what Linux's verifier said about it. Map
/// references in <see cref="Instructions"/> are still indices (<c>lddw</c> src 1 or 2, imm K = <see cref="Maps"/>[K]);
/// a loader puts its own map handles there.</summary>
/// <param name="Name">Unique across all case files; also the theory's display name.</param>
/// <param name="File">The case file, relative to the Cases folder.</param>
/// <param name="Line">The line of <c>== case NAME</c> in that file.</param>
/// <param name="ProgramType">The program type it is loaded as.</param>
/// <param name="ProgramFlags">BPF_PROG_LOAD's <c>prog_flags</c>: 0, or <see cref="StrictAlignment"/>.</param>
/// <param name="Maps">The maps it uses, in index order (named <c>map0</c>, <c>map1</c>...).</param>
/// <param name="Assembly">The program text (bpf_conformance dialect with <c>map:K</c>, <c>mapvalue:K+OFF</c>,
/// <c>func:LABEL</c>).</param>
/// <param name="Instructions">The assembled program.</param>
/// <param name="Twin">The case it differs from minimally (a rejected program's accepted twin, or the reverse).</param>
/// <param name="About">What the case shows, in a sentence.</param>
/// <param name="Attach">The expected attach type, as a section name gives it after the type (<c>egress</c> in
/// <c>cgroup_skb/egress</c>), or for BTF-typed tracing and LSM programs the whole section name
/// (<c>tp_btf/sched_switch</c>), whose target's BTF id the loader passes too; null for the type's default.</param>
/// <param name="Kernel">What the kernel said when the case was last recorded; null until recorded.</param>
internal sealed record VerifierCase(string Name, string File, int Line, ProgramType ProgramType, uint ProgramFlags, IReadOnlyList<CaseMap> Maps,
    string Assembly, Instruction[] Instructions, string? Twin, string About, KernelRecord? Kernel, string? Attach = null)
{
    /// <summary><c>BPF_F_STRICT_ALIGNMENT</c>: check alignment as on an architecture without efficient unaligned access
    /// (and as if NET_IP_ALIGN were 2 for packets), whatever this one does.</summary>
    public const uint StrictAlignment = 1;

    /// <summary>BPF_PROG_LOAD's <c>expected_attach_type</c> for <see cref="Attach"/> (<c>enum bpf_attach_type</c>).</summary>
    public uint ExpectedAttachType => Attach switch
    {
        null => 0,
        "egress" when ProgramType == ProgramType.CgroupSkb => 1,   // BPF_CGROUP_INET_EGRESS
        _ when TracingOn(KernelBtfFixture.Linux618) is { } target => target.ExpectedAttachType,
        _ => throw new InvalidOperationException($"{Name}: no attach type '{Attach}' for {ProgramType} (cgroup_skb: egress)"),
    };

    /// <summary>Whether the kernel accepts the program (throws when the case was never recorded).</summary>
    public bool Accepted => Kernel?.Accepted ?? throw new InvalidOperationException($"{Name} has no recorded kernel verdict");

    /// <summary>For a tracing or LSM case, its target in <paramref name="btf"/>; null for other cases.</summary>
    public TracingTarget? TracingOn(BtfGraph btf) =>
        Attach is not null && SectionName.Parse(Attach) is { } section && TracingTarget.KindOf(section) is not null
            ? TracingTarget.Resolve(Name, section, btf) : null;

    /// <summary>The running kernel's verdict on this case, through <c>bpf()</c>; a tracing case's target is found in
    /// the running kernel's own BTF.</summary>
    public KernelVerdict LoadInKernel()
    {
        var attachBtfId = ProgramType is not (ProgramType.Tracing or ProgramType.Lsm) ? 0u
            : TracingOn(RunningKernelBtf.Value ?? throw new InvalidOperationException($"{Name}: this kernel has no BTF to attach to")) is { } t
                ? (uint)t.TypeId : 0u;
        return KernelVerifier.Load(ProgramType, Maps, Instructions, Name, programFlags: ProgramFlags, expectedAttachType: ExpectedAttachType,
            attachBtfId: attachBtfId);
    }

    static readonly Lazy<BtfGraph?> RunningKernelBtf = new(TargetBtf.Kernel);

    /// <summary>"file.case:12 name".</summary>
    public override string ToString() => $"{File}:{Line} {Name}";
}

/// <summary>The kernel's answer as a case file records it (<c>-- kernel</c> section).</summary>
/// <param name="Accepted"><c>verdict: accept</c> or <c>verdict: reject</c>.</param>
/// <param name="Errno">The errno name of a refusal (<c>EACCES</c>, <c>EINVAL</c>...), empty when accepted.</param>
/// <param name="Instruction">The instruction the kernel's log was at when it refused, if it names one.</param>
/// <param name="Error">The verifier's error line, verbatim; empty when accepted.</param>
/// <param name="Detail">The lines it printed just before the error line (<see cref="VerifierLog.Details"/>), joined
/// with newlines; often the precise reason. Empty when there were none.</param>
public sealed record KernelRecord(bool Accepted, string Errno, int? Instruction, string Error, string Detail = "")
{
    /// <summary>The record of a live verdict.</summary>
    public static KernelRecord Of(KernelVerdict verdict) => verdict.Accepted ? new(true, "", null, "")
        : new(false, verdict.ErrnoName, verdict.Instruction, verdict.Message, string.Join('\n', verdict.Details));
}
