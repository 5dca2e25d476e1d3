namespace BpfSharp.Tests.Kernel;

/// <summary>The kernel oracle could not do what it was asked (bpftool failed, a name is unknown, output changed).</summary>
public class KernelOracleException(string message) : Exception(message);

/// <summary>The kernel refused to load an object; <see cref="Rejection"/> holds its verdict and log.</summary>
public sealed class KernelLoadException(KernelRejection rejection)
    : KernelOracleException($"the kernel rejected {Path.GetFileName(rejection.ObjectPath)}: {rejection.Summary}")
{
    /// <summary>The verdict: program, errno, the verifier's message and the whole log.</summary>
    public KernelRejection Rejection { get; } = rejection;
}
