using BpfSharp.Programs;
namespace BpfSharp;

/// <summary>A test run the kernel would refuse (its <c>-EINVAL</c>, <c>-ENOTSUPP</c> ...), with the reason.</summary>
public sealed class InvalidRunException(string message, int errno) : BpfException(message)
{
    /// <summary>The negative errno the kernel's <c>BPF_PROG_TEST_RUN</c> returns in this case.</summary>
    public int Errno { get; } = errno;
}
