namespace BpfSharp.Tests.Kernel;

/// <summary>The kernel these tests run on, as they name it in every comparison with recorded answers, and the refusals
/// that come from how that kernel was built rather than from BPF's semantics.</summary>
public static class RunningKernel
{
    static readonly Lazy<string> description = new(() => OperatingSystem.IsLinux()
        ? $"Linux {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()} {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}"
        : System.Runtime.InteropServices.RuntimeInformation.OSDescription);

    /// <summary>E.g. <c>Linux 6.18.44-fc-v1272 x64</c>.</summary>
    public static string Description => description.Value;

    /// <summary>The verifier's words when a helper or kfunc is missing from this kernel's build for a program type
    /// (a config option, a backport, a vendor patch): <c>check_helper_call</c>'s "program of this type cannot use
    /// helper", "unknown func" and "invalid func unknown#", and <c>check_kfunc_call</c>'s "calling kernel function …
    /// is not allowed".</summary>
    static readonly string[] buildRefusals =
        ["program of this type cannot use helper ", "unknown func ", "invalid func unknown#", "calling kernel function "];

    /// <summary>Whether a refusal of this kernel's verifier names something its build does not offer.</summary>
    public static bool IsBuildRefusal(string verifierMessage) =>
        buildRefusals.Any(r => verifierMessage.Contains(r, StringComparison.Ordinal));
}
