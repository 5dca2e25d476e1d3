using System.Runtime.InteropServices;

namespace BpfSharp.Tests.Events;

/// <summary>The syscall numbers and AUDIT_ARCH of this machine's native convention, from the kernel headers
/// (arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h for arm64; include/uapi/linux/audit.h).</summary>
public static class HostSyscalls
{
    static readonly bool x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static int Read => x64 ? 0 : 63;
    public static int Write => x64 ? 1 : 64;
    public static int Openat => x64 ? 257 : 56;
    public static int ExitGroup => x64 ? 231 : 94;

    /// <summary>AUDIT_ARCH_X86_64 (EM_X86_64 62 | 64-bit | little-endian) or AUDIT_ARCH_AARCH64 (EM_AARCH64 183 | ...).</summary>
    public static uint AuditArch => x64 ? 0xc000003eu : 0xc00000b7u;
}
