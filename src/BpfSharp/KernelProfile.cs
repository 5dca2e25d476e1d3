using BpfSharp.Loading;
using System.Collections.Frozen;

namespace BpfSharp;

/// <summary>The kernel an object's <c>__kconfig</c> externs describe. libbpf reads them from the running kernel
/// (its release, its config in <c>/boot/config-*</c> or <c>/proc/config.gz</c>, feature probes); BpfSharp runs
/// no kernel, so it takes them from this profile: <see cref="Linux618"/> unless the host sets its own.</summary>
public sealed record KernelProfile
{
    /// <summary>Linux 6.18 on x86-64, the kernel BpfSharp emulates: version 6.18.0, BPF cookies and syscall
    /// wrappers, and a few config values of the reference build (Linux 6.18.44's <c>/proc/config.gz</c>).</summary>
    public static KernelProfile Linux618 { get; } = new();

    /// <summary>What <c>LINUX_KERNEL_VERSION</c> reads: <c>KERNEL_VERSION(major, minor, patch)</c>, see
    /// <see cref="VersionCode"/>.</summary>
    public uint Version { get; init; } = VersionCode(6, 18, 0);

    /// <summary>What <c>LINUX_HAS_BPF_COOKIE</c> reads: whether programs may call <c>bpf_get_attach_cookie</c>
    /// (libbpf probes by loading a kprobe program that does).</summary>
    public bool HasBpfCookie { get; init; } = true;

    /// <summary>What <c>LINUX_HAS_SYSCALL_WRAPPER</c> reads: whether syscalls enter through
    /// <c>__&lt;arch&gt;_sys_*</c> wrappers that take a <c>struct pt_regs</c>, so <c>BPF_KSYSCALL</c> reads the
    /// arguments from the inner registers (x86-64 since Linux 4.17).</summary>
    public bool HasSyscallWrapper { get; init; } = true;

    /// <summary>Config values by option name, each written as a kernel config file writes it after
    /// <c>CONFIG_X=</c>: <c>y</c>, <c>m</c> or <c>n</c>, a number (<c>250</c>, <c>0x10</c>), or a double-quoted
    /// string (<c>"(none)"</c>). A <c>CONFIG_*</c> extern the config does not set is zero when declared
    /// <c>__weak</c> and a load error otherwise, as with libbpf.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>
    {
        ["CONFIG_64BIT"] = "y",
        ["CONFIG_X86_64"] = "y",
        ["CONFIG_SMP"] = "y",
        ["CONFIG_HZ"] = "250",
        ["CONFIG_PAGE_SHIFT"] = "12",
        ["CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS"] = "y",
        ["CONFIG_BPF_SYSCALL"] = "y",
        ["CONFIG_BPF_JIT"] = "y",
        ["CONFIG_BPF_EVENTS"] = "y",
        ["CONFIG_CGROUP_BPF"] = "y",
        ["CONFIG_DEBUG_INFO_BTF"] = "y",
        ["CONFIG_NET"] = "y",
        ["CONFIG_DEFAULT_HOSTNAME"] = "\"(none)\"",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>This profile with one config value set (or replaced), e.g. <c>WithConfig("CONFIG_HZ", "1000")</c>.</summary>
    public KernelProfile WithConfig(string name, string value) =>
        this with { Config = new Dictionary<string, string>(Config, StringComparer.Ordinal) { [name] = value }.ToFrozenDictionary(StringComparer.Ordinal) };

    /// <summary>The kernel's <c>KERNEL_VERSION(a, b, c)</c>: <c>a &lt;&lt; 16 | b &lt;&lt; 8 | c</c>, the patch
    /// level capped at 255.</summary>
    public static uint VersionCode(int major, int minor, int patch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfNegative(patch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minor, 255);
        return (uint)major << 16 | (uint)minor << 8 | (uint)Math.Min(patch, 255);
    }
}
