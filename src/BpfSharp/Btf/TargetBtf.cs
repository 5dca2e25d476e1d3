using System.Runtime.InteropServices;

namespace BpfSharp.Btf;

/// <summary>The types CO-RE relocations are resolved against when the host does not choose: the running kernel's
/// BTF (<c>/sys/kernel/btf/vmlinux</c>) when this machine has it and it is readable, as libbpf does; otherwise the BTF
/// BpfSharp ships for the contexts it provides (<c>__sk_buff</c>, <c>xdp_md</c>, this architecture's
/// <c>pt_regs</c>, <c>seccomp_data</c>, a <c>task_struct</c> subset, the uapi enums).</summary>
internal static class TargetBtf
{
    const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    static readonly Lazy<BtfGraph> host = new(() => Kernel() ?? Shipped(RuntimeInformation.ProcessArchitecture));

    /// <summary>The kernel's BTF if readable, else the shipped one for this architecture.</summary>
    public static BtfGraph Default => host.Value;

    /// <summary>The running kernel's BTF, or null when there is none to read.</summary>
    public static BtfGraph? Kernel()
    {
        try
        {
            return File.Exists(VmlinuxPath) ? BtfReader.Read(File.ReadAllBytes(VmlinuxPath), VmlinuxPath) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The BTF in a file a host names (raw BTF, as <c>/sys/kernel/btf/vmlinux</c> holds it).</summary>
    /// <exception cref="ObjectFormatException">The file cannot be read or is not BTF.</exception>
    public static BtfGraph FromFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ObjectFormatException($"target BTF {path}: {e.Message}", inner: e);
        }
        return BtfReader.Read(bytes, path);
    }

    /// <summary>The BTF shipped for an architecture (x64 or Arm64).</summary>
    public static BtfGraph Shipped(Architecture architecture)
    {
        var name = architecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "arm64",
            _ => throw new PlatformNotSupportedException($"BpfSharp ships context BTF for x64 and arm64, not {architecture}"),
        };
        using var stream = typeof(TargetBtf).Assembly.GetManifestResourceStream($"BpfSharp.Btf.{name}.btf")
            ?? throw new InvalidOperationException($"the {name} context BTF is missing from the assembly");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return BtfReader.Read(buffer.ToArray(), $"{name}.btf");
    }
}
