using BpfSharp.Programs;
namespace BpfSharp;

/// <summary>Where a program asked its packet to go with <c>bpf_redirect</c> or <c>bpf_redirect_map</c>: the kernel
/// keeps this per CPU (<c>struct bpf_redirect_info</c>) and acts on it only when the program returns the redirect
/// verdict (<c>TC_ACT_REDIRECT</c> or <c>XDP_REDIRECT</c>). A test run, like the kernel's, sends nothing anywhere.</summary>
/// <param name="Ifindex">The target device's interface index: <c>bpf_redirect</c>'s argument or the devmap entry's;
/// 0 when the target is a CPU or a socket.</param>
/// <param name="Flags">The flags given (<c>BPF_F_INGRESS</c> = 1 for tc: into the device's receive path; for a
/// device map, <c>BPF_F_BROADCAST</c> and <c>BPF_F_EXCLUDE_INGRESS</c>).</param>
public readonly record struct RedirectTarget(uint Ifindex, ulong Flags)
{
    /// <summary>BPF_F_BROADCAST and BPF_F_EXCLUDE_INGRESS, the flags a device map's redirect takes.</summary>
    internal const ulong BroadcastFlag = 1 << 3, ExcludeIngressFlag = 1 << 4;

    /// <summary>The map of <c>bpf_redirect_map</c>; null for <c>bpf_redirect</c>.</summary>
    public string? Map { get; init; }

    /// <summary>The map entry's key (for a cpumap, the CPU).</summary>
    public uint Key { get; init; }

    /// <summary>For a cpumap, the CPU the packet goes to.</summary>
    public int? Cpu { get; init; }

    /// <summary>Every device of <see cref="Map"/> (<c>BPF_F_BROADCAST</c>), the ingress one too unless
    /// <c>BPF_F_EXCLUDE_INGRESS</c>.</summary>
    public bool Broadcast => Map is not null && (Flags & BroadcastFlag) != 0;

    /// <summary>"ifindex 3", "ifindex 3 (devmap 'tx'[0])", "cpu 1 (cpumap 'cpus')", "every device of 'tx'".</summary>
    public override string ToString() =>
        Broadcast ? $"every device of '{Map}'{((Flags & ExcludeIngressFlag) != 0 ? " but the ingress one" : "")}"
        : Cpu is { } cpu ? $"cpu {cpu} ('{Map}'[{Key}])"
        : Map is null ? $"ifindex {Ifindex}{((Flags & 1) != 0 ? " (ingress)" : "")}" : $"ifindex {Ifindex} ('{Map}'[{Key}])";
}
