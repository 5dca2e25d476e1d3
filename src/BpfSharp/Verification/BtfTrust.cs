using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>How far the verifier trusts a pointer read out of a kernel struct (<c>check_ptr_to_btf_access</c> with the
/// kernel's lists of safe fields, kernel/bpf/verifier.c): walking an untrusted pointer gives untrusted ones; walking a
/// trusted or RCU one gives a trusted pointer only for the fields the kernel lists, an RCU pointer for listed or
/// <c>__rcu</c> fields inside an RCU read section (a non-sleepable program is always in one), else a plain one.</summary>
internal static class BtfTrust
{
    static readonly HashSet<(string, string)> Trusted =
    [
        ("bpf_iter_meta", "seq"), ("bpf_iter__task", "meta"), ("bpf_iter__task", "task"), ("linux_binprm", "file"), ("file", "f_inode"),
    ];

    static readonly HashSet<(string, string)> TrustedOrNull =
    [
        ("dentry", "d_inode"), ("socket", "sk"), ("vm_area_struct", "vm_mm"), ("vm_area_struct", "vm_file"),
    ];

    static readonly HashSet<(string, string)> Rcu =
    [
        ("task_struct", "cpus_ptr"), ("task_struct", "cgroups"), ("task_struct", "real_parent"), ("task_struct", "group_leader"),
        ("cgroup", "kn"), ("css_set", "dfl_cgrp"), ("cgroup_subsys_state", "cgroup"),
    ];

    static readonly HashSet<(string, string)> RcuOrNull =
    [
        ("mm_struct", "exe_file"), ("mm_struct", "owner"), ("sk_buff", "sk"), ("request_sock", "sk"),
    ];

    /// <summary>The kind and flags of a pointer read from <paramref name="field"/> of <paramref name="source"/>;
    /// <paramref name="walked"/> holds what the walk itself found (untrusted after a union).</summary>
    public static (RegisterKind Kind, BtfPointerFlags Flags) OfField(BtfTarget source, BtfStructAccess.Found field, BtfPointerFlags walked,
        bool inRcuSection)
    {
        var key = (source.Name, field.Name);
        if (source.Flags.HasFlag(BtfPointerFlags.Untrusted)) return (RegisterKind.BtfObject, BtfPointerFlags.Untrusted);
        if (!source.Flags.HasFlag(BtfPointerFlags.Trusted) && !source.Flags.HasFlag(BtfPointerFlags.Rcu))
            return (RegisterKind.BtfObject, walked & BtfPointerFlags.Untrusted);
        if (Trusted.Contains(key)) return (RegisterKind.BtfObject, walked | BtfPointerFlags.Trusted);
        if (TrustedOrNull.Contains(key)) return (RegisterKind.BtfObjectOrNull, walked | BtfPointerFlags.Trusted);
        if (!inRcuSection) return (RegisterKind.BtfObject, BtfPointerFlags.Untrusted);
        if (Rcu.Contains(key)) return (RegisterKind.BtfObject, walked | BtfPointerFlags.Rcu);
        if (field.Flags.HasFlag(BtfPointerFlags.Rcu) || RcuOrNull.Contains(key))
            return (RegisterKind.BtfObjectOrNull, (RcuOrNull.Contains(key) ? walked & ~BtfPointerFlags.Untrusted : walked) | BtfPointerFlags.Rcu);
        return (RegisterKind.BtfObject, walked & BtfPointerFlags.Untrusted);
    }
}
