using BpfSharp.Programs;

namespace BpfSharp.Loading;

/// <summary>A program section's <c>SEC()</c> name parsed once into what it means, by libbpf's table of section
/// definitions: <c>"xdp.frags"</c> is an XDP program that accepts fragments, <c>"kprobe/__seccomp_filter"</c> a
/// kprobe attached to <c>__seccomp_filter</c>; <c>"?raw_tp"</c> a raw tracepoint libbpf loads only when asked
/// (autoload off).</summary>
internal sealed record SectionName(string Text, ProgramType Type, string? AttachTarget, bool Sleepable, bool Fragments)
{
    /// <summary>Whether loading the whole object loads this program: false for a name that starts with <c>?</c>,
    /// which libbpf reads as the rest of the name with autoload off.</summary>
    public bool Autoload { get; init; } = true;

    // Longest prefixes first so that "xdp.frags" wins over "xdp" and "raw_tp.w" over "raw_tp".
    static readonly (string Prefix, ProgramType Type)[] table = new (string, ProgramType)[]
    {
        ("socket", ProgramType.SocketFilter), ("sk_reuseport/migrate", ProgramType.SkReuseport), ("sk_reuseport", ProgramType.SkReuseport),
        ("kprobe.multi", ProgramType.Kprobe), ("kretprobe.multi", ProgramType.Kprobe), ("uprobe.multi", ProgramType.Kprobe),
        ("uretprobe.multi", ProgramType.Kprobe), ("kprobe", ProgramType.Kprobe), ("kretprobe", ProgramType.Kprobe),
        ("uprobe", ProgramType.Kprobe), ("uretprobe", ProgramType.Kprobe), ("uprobe.s", ProgramType.Kprobe), ("uretprobe.s", ProgramType.Kprobe),
        ("ksyscall", ProgramType.Kprobe), ("kretsyscall", ProgramType.Kprobe), ("usdt", ProgramType.Kprobe),
        ("tc", ProgramType.SchedCls), ("tcx", ProgramType.SchedCls), ("netkit", ProgramType.SchedCls),
        ("classifier", ProgramType.SchedCls), ("action", ProgramType.SchedAct),
        ("tracepoint", ProgramType.Tracepoint), ("tp", ProgramType.Tracepoint),
        ("raw_tracepoint.w", ProgramType.RawTracepointWritable), ("raw_tp.w", ProgramType.RawTracepointWritable),
        ("raw_tracepoint", ProgramType.RawTracepoint), ("raw_tp", ProgramType.RawTracepoint),
        ("tp_btf", ProgramType.Tracing), ("fentry", ProgramType.Tracing), ("fmod_ret", ProgramType.Tracing), ("fexit", ProgramType.Tracing),
        ("fentry.s", ProgramType.Tracing), ("fmod_ret.s", ProgramType.Tracing), ("fexit.s", ProgramType.Tracing),
        ("iter", ProgramType.Tracing), ("iter.s", ProgramType.Tracing), ("freplace", ProgramType.Ext),
        ("lsm", ProgramType.Lsm), ("lsm.s", ProgramType.Lsm), ("lsm_cgroup", ProgramType.Lsm),
        ("xdp.frags", ProgramType.Xdp), ("xdp", ProgramType.Xdp), ("perf_event", ProgramType.PerfEvent),
        ("lwt_in", ProgramType.LwtIn), ("lwt_out", ProgramType.LwtOut), ("lwt_xmit", ProgramType.LwtXmit),
        ("lwt_seg6local", ProgramType.LwtSeg6local), ("sockops", ProgramType.SockOps), ("sk_skb", ProgramType.SkSkb),
        ("sk_msg", ProgramType.SkMsg), ("lirc_mode2", ProgramType.LircMode2), ("flow_dissector", ProgramType.FlowDissector),
        ("cgroup_skb", ProgramType.CgroupSkb), ("cgroup/skb", ProgramType.CgroupSkb),
        ("cgroup/sock_create", ProgramType.CgroupSock), ("cgroup/sock_release", ProgramType.CgroupSock),
        ("cgroup/sock", ProgramType.CgroupSock), ("cgroup/post_bind4", ProgramType.CgroupSock), ("cgroup/post_bind6", ProgramType.CgroupSock),
        ("cgroup/dev", ProgramType.CgroupDevice), ("cgroup/sysctl", ProgramType.CgroupSysctl),
        ("cgroup/getsockopt", ProgramType.CgroupSockopt), ("cgroup/setsockopt", ProgramType.CgroupSockopt),
        ("cgroup/bind4", ProgramType.CgroupSockAddr), ("cgroup/bind6", ProgramType.CgroupSockAddr),
        ("cgroup/connect4", ProgramType.CgroupSockAddr), ("cgroup/connect6", ProgramType.CgroupSockAddr),
        ("cgroup/connect_unix", ProgramType.CgroupSockAddr), ("cgroup/sendmsg4", ProgramType.CgroupSockAddr),
        ("cgroup/sendmsg6", ProgramType.CgroupSockAddr), ("cgroup/sendmsg_unix", ProgramType.CgroupSockAddr),
        ("cgroup/recvmsg4", ProgramType.CgroupSockAddr), ("cgroup/recvmsg6", ProgramType.CgroupSockAddr),
        ("cgroup/recvmsg_unix", ProgramType.CgroupSockAddr), ("cgroup/getpeername4", ProgramType.CgroupSockAddr),
        ("cgroup/getpeername6", ProgramType.CgroupSockAddr), ("cgroup/getsockname4", ProgramType.CgroupSockAddr),
        ("cgroup/getsockname6", ProgramType.CgroupSockAddr), ("cgroup/getpeername_unix", ProgramType.CgroupSockAddr),
        ("cgroup/getsockname_unix", ProgramType.CgroupSockAddr), ("struct_ops", ProgramType.StructOps), ("struct_ops.s", ProgramType.StructOps),
        ("sk_lookup", ProgramType.SkLookup), ("syscall", ProgramType.Syscall), ("netfilter", ProgramType.Netfilter),
    }.OrderByDescending(e => e.Item1.Length).ToArray();

    /// <summary>Parses a section name; null when no program type has that name (libbpf then refuses the program
    /// unless told its type).</summary>
    public static SectionName? Parse(string text)
    {
        if (text.StartsWith('?'))
            return Parse(text[1..]) is { } named ? named with { Text = text, Autoload = false } : null;
        foreach (var (prefix, type) in table)
        {
            if (text == prefix)
                return new SectionName(text, type, null, IsSleepable(prefix), prefix.EndsWith(".frags", StringComparison.Ordinal));
            if (text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal) && text[prefix.Length] == '/')
                return new SectionName(text, type, text[(prefix.Length + 1)..], IsSleepable(prefix), prefix.EndsWith(".frags", StringComparison.Ordinal));
        }
        return null;
    }

    /// <summary>What libbpf loads as the expected attach type, beyond the program type: the part after the type's
    /// prefix (<c>egress</c> in <c>cgroup_skb/egress</c>), or for the cgroup sock_addr hooks, which each have a prefix of
    /// their own, the hook (<c>connect4</c> in <c>cgroup/connect4</c>).</summary>
    internal string? ExpectedAttach => Type is ProgramType.CgroupSockAddr or ProgramType.CgroupSock or ProgramType.CgroupSockopt
        && Text.TrimStart('?').StartsWith("cgroup/", StringComparison.Ordinal) ? Text.TrimStart('?')["cgroup/".Length..] : AttachTarget;

    static bool IsSleepable(string prefix) => prefix.EndsWith(".s", StringComparison.Ordinal) || prefix == "syscall";

    /// <inheritdoc/>
    public override string ToString() => Text;
}
