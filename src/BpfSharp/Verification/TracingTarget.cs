using BpfSharp.Btf;
using BpfSharp.Loading;

namespace BpfSharp.Verification;

/// <summary>What a BTF-typed tracing or LSM program attaches to, found in the target BTF as libbpf finds it from the
/// section name (its <c>attach_btf_id</c>): <c>fentry/NAME</c>, <c>fexit/NAME</c> and <c>fmod_ret/NAME</c> the
/// function NAME, <c>tp_btf/NAME</c> the typedef <c>btf_trace_NAME</c> (whose first argument, the tracepoint's
/// <c>void *__data</c>, the program does not see), <c>lsm/NAME</c> the function <c>bpf_lsm_NAME</c>. The program's
/// context is the target's arguments, one u64 slot each. <see cref="TypeId"/> is the target's id in
/// <see cref="Graph"/>: the <c>attach_btf_id</c> a loader passes the kernel.</summary>
internal sealed record TracingTarget(TracingTarget.Attach Kind, string Name, BtfGraph Graph, BtfFunctionProto Proto, bool Sleepable, int TypeId)
{
    /// <summary>The expected attach type (<c>BPF_TRACE_FENTRY</c>, ... <c>BPF_LSM_MAC</c>).</summary>
    public enum Attach { Entry, Exit, ModifyReturn, RawTracepoint, Lsm, Iterator }

    /// <summary>The function's name as the kernel's messages give it (<c>attach_func_name</c>): an LSM hook's
    /// <c>bpf_lsm_</c> function.</summary>
    public string FunctionName => Kind == Attach.Lsm ? "bpf_lsm_" + Name : Name;

    /// <summary>Whether the program runs from a trampoline around the function (<c>bpf_prog_has_trampoline</c>:
    /// fentry, fexit, fmod_ret, LSM), which lends it the function's arguments by index.</summary>
    public bool HasTrampoline => Kind is Attach.Entry or Attach.Exit or Attach.ModifyReturn or Attach.Lsm;

    /// <summary>The arguments the program sees, in order.</summary>
    public IReadOnlyList<BtfParameter> Arguments => Kind == Attach.RawTracepoint ? Proto.Parameters.Skip(1).ToArray() : Proto.Parameters;

    /// <summary>BPF_PROG_LOAD's <c>expected_attach_type</c> (<c>enum bpf_attach_type</c>).</summary>
    public uint ExpectedAttachType => Kind switch
    {
        Attach.RawTracepoint => 23,
        Attach.Entry => 24,
        Attach.Exit => 25,
        Attach.ModifyReturn => 26,
        Attach.Lsm => 27,
        _ => 28,
    };

    /// <summary>The attach kind of a section name (its part before the slash), or null for other programs.</summary>
    public static Attach? KindOf(SectionName section) => section.Text.TrimStart('?').Split('/')[0] switch
    {
        "fentry" or "fentry.s" => Attach.Entry,
        "fexit" or "fexit.s" => Attach.Exit,
        "fmod_ret" or "fmod_ret.s" => Attach.ModifyReturn,
        "tp_btf" => Attach.RawTracepoint,
        "lsm" or "lsm.s" => Attach.Lsm,
        "iter" or "iter.s" => Attach.Iterator,
        _ => null,
    };

    /// <summary>Finds the target of a program's section in <paramref name="graph"/>; null for sections that name no
    /// BTF target; throws when it names one the BTF lacks, as libbpf fails the load.</summary>
    /// <exception cref="ObjectFormatException">The target is not in the BTF.</exception>
    public static TracingTarget? Resolve(string program, SectionName section, BtfGraph graph)
    {
        if (KindOf(section) is not { } kind || section.AttachTarget is not { Length: > 0 } name) return null;
        var (typeName, funcKind) = kind switch
        {
            Attach.RawTracepoint => ("btf_trace_" + name, BtfKind.Typedef),
            Attach.Lsm => ("bpf_lsm_" + name, BtfKind.Function),
            Attach.Iterator => ("bpf_iter_" + name, BtfKind.Function),
            _ => (name, BtfKind.Function),
        };
        var found = graph.Named(typeName).FirstOrDefault(t => t.Kind == funcKind);
        var proto = found switch
        {
            BtfFunction f => graph.SkipModifiers(f.Proto) as BtfFunctionProto,
            BtfReference { Kind: BtfKind.Typedef } t when graph.SkipModifiers(t.Target) is BtfReference { Kind: BtfKind.Pointer } p =>
                graph.SkipModifiers(p.Target) as BtfFunctionProto,
            _ => null,
        };
        return proto is null
            ? throw new ObjectFormatException($"{program}: failed to find kernel BTF type ID of '{name}': -ESRCH (the target BTF has no " +
                $"{(funcKind == BtfKind.Typedef ? "typedef" : "function")} '{typeName}'; give BpfSharp the BTF of the kernel the program is for)",
                section.Text)
            : new TracingTarget(kind, name, graph, proto, section.Sleepable, found!.Id);
    }
}
