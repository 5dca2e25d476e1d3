using BpfSharp.Btf;
using BpfSharp.Execution;

namespace BpfSharp.Loading;

/// <summary>Choices made when an object is loaded on this host.</summary>
public sealed record LoadOptions
{
    /// <summary>The helpers programs may call; <see cref="Helpers.StandardHelpers.Create"/> when null. A host adds its
    /// own here.</summary>
    public HelperTable? Helpers { get; init; }

    /// <summary>Whether programs must pass the verifier (the default). A verified program runs without per-access
    /// checks; with false, programs the verifier would refuse still load and run in bounds-checked mode, where a bad
    /// access stops the program instead of the load — for teaching, fuzzing and bring-up.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Ask the verifier for its kernel-style log (state per instruction), kept on each program.</summary>
    public bool VerifierLog { get; init; }

    /// <summary>The types CO-RE relocations are resolved against; the running kernel's
    /// <c>/sys/kernel/btf/vmlinux</c> when readable, else the BTF BpfSharp ships for the contexts it provides.</summary>
    public BtfGraph? TargetBtf { get; init; }
}
