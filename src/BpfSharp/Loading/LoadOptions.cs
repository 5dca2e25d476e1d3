using BpfSharp.Btf;
using BpfSharp.Execution;

namespace BpfSharp.Loading;

/// <summary>Choices made when an object is loaded on this host.</summary>
public sealed record LoadOptions
{
    /// <summary>The helpers programs may call; <see cref="Helpers.StandardHelpers.Create"/> when null. A host adds its
    /// own here.</summary>
    public HelperTable? Helpers { get; init; }

    /// <summary>The types CO-RE relocations are resolved against; the running kernel's
    /// <c>/sys/kernel/btf/vmlinux</c> when readable, else the BTF BpfSharp ships for the contexts it provides.</summary>
    public BtfGraph? TargetBtf { get; init; }
}
