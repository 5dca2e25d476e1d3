namespace BpfSharp.Programs;

/// <summary>Where a program asked its packet to go with <c>bpf_redirect</c>: the kernel keeps this per CPU
/// (<c>struct bpf_redirect_info</c>) and acts on it only when the program returns the redirect verdict
/// (<c>TC_ACT_REDIRECT</c> or <c>XDP_REDIRECT</c>). A test run, like the kernel's, sends nothing anywhere.</summary>
/// <param name="Ifindex">The target device's interface index.</param>
/// <param name="Flags">The flags given (<c>BPF_F_INGRESS</c> = 1 for tc: into the device's receive path).</param>
public readonly record struct RedirectTarget(uint Ifindex, ulong Flags);
