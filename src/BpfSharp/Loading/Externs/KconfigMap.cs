namespace BpfSharp.Loading.Externs;

/// <summary>libbpf's <c>.kconfig</c> internal map: one read-only entry holding every <c>__kconfig</c> extern at its
/// offset, filled when the object loads (<c>bpf_object__resolve_externs</c>) from the kernel profile instead of the
/// running kernel, then frozen so that the verifier reads the values as constants.</summary>
internal static class KconfigMap
{
    public const string Section = ".kconfig";

    /// <summary>The map's definition, or null when the object has no <c>__kconfig</c> extern.</summary>
    public static MapDefinition? Define(string objectName, ExternTable externs) =>
        externs.Kconfig.Count == 0 ? null : GlobalDataMaps.Internal(objectName, Section, externs.KconfigSize, readOnly: true, initial: null);

    /// <summary>The map's value for this kernel: <c>CONFIG_*</c> externs from its config, libbpf's virtual
    /// <c>LINUX_*</c> ones from its version and features, weak ones it does not set zero; null when the object has
    /// no <c>__kconfig</c> extern.</summary>
    public static byte[]? Value(ExternTable externs, KernelProfile kernel)
    {
        if (externs.Kconfig.Count == 0) return null;
        var value = new byte[externs.KconfigSize];
        foreach (var e in externs.Kconfig)
        {
            var slot = value.AsSpan((int)e.Offset, (int)e.Size);
            if (e.Name.StartsWith("CONFIG_", StringComparison.Ordinal))
            {
                if (kernel.Config.TryGetValue(e.Name, out var text)) e.StoreConfig(slot, text);
                else if (!e.IsWeak)
                    throw new ObjectFormatException($"extern '{e.Name}' (strong): not resolved: the kernel profile (LoadOptions.Kernel) does not set it", Section);
                continue;
            }
            e.StoreNumber(slot, e.Name switch
            {
                "LINUX_KERNEL_VERSION" => kernel.Version,
                "LINUX_HAS_BPF_COOKIE" => kernel.HasBpfCookie ? 1UL : 0,
                "LINUX_HAS_SYSCALL_WRAPPER" => kernel.HasSyscallWrapper ? 1UL : 0,
                // Only a weak LINUX_* extern libbpf does not know is zero; any other name is a load error.
                _ when e.IsWeak && e.Name.StartsWith("LINUX_", StringComparison.Ordinal) => 0,
                _ => throw new ObjectFormatException($"extern (kcfg) '{e.Name}': unrecognized virtual extern", Section),
            });
        }
        return value;
    }
}
