namespace BpfSharp.Programs;

/// <summary>The errno values test runs report (include/uapi/asm-generic/errno-base.h).</summary>
internal static class Errno
{
    public const int ENODEV = 19, EINVAL = 22, E2BIG = 7, ENOTSUPP = 524;
}
