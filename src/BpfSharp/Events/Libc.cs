using System.Runtime.InteropServices;

namespace BpfSharp.Events;

/// <summary>The libc calls a syscall tracer needs (Linux; the same numbers on x86-64 and arm64, which share the generic
/// signal numbering), with the constants of linux/ptrace.h and sys/wait.h.</summary>
internal static unsafe partial class Libc
{
    public const int PTRACE_SYSCALL = 24, PTRACE_GETEVENTMSG = 0x4201, PTRACE_SEIZE = 0x4206, PTRACE_LISTEN = 0x4208,
        PTRACE_GET_SYSCALL_INFO = 0x420e;

    public const int PTRACE_O_TRACESYSGOOD = 1, PTRACE_O_TRACEFORK = 1 << 1, PTRACE_O_TRACEVFORK = 1 << 2,
        PTRACE_O_TRACECLONE = 1 << 3, PTRACE_O_TRACEEXEC = 1 << 4, PTRACE_O_EXITKILL = 1 << 20;

    public const int PTRACE_EVENT_FORK = 1, PTRACE_EVENT_VFORK = 2, PTRACE_EVENT_CLONE = 3, PTRACE_EVENT_EXEC = 4,
        PTRACE_EVENT_STOP = 128;

    public const byte PTRACE_SYSCALL_INFO_ENTRY = 1;

    public const int SIGINT = 2, SIGKILL = 9, SIGTRAP = 5, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;

    public const int WUNTRACED = 2, __WNOTHREAD = 0x20000000, __WALL = 0x40000000;

    public const int EPERM = 1, ESRCH = 3, EINTR = 4, ECHILD = 10;

    [LibraryImport("libc", SetLastError = true)]
    public static partial long ptrace(int request, int pid, nint addr, nint data);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    /// <summary>Returns an error number (0 on success) rather than setting errno.</summary>
    [LibraryImport("libc")]
    public static partial int posix_spawn(int* pid, byte* path, nint fileActions, nint attributes, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint process_vm_readv(int pid, IoVec* local, ulong localCount, IoVec* remote, ulong remoteCount, ulong flags);

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary>struct ptrace_syscall_info as far as a syscall entry fills it (88 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SyscallInfo
    {
        public byte Op;
        public byte Pad0, Pad1, Pad2;
        public uint Arch;
        public ulong InstructionPointer;
        public ulong StackPointer;
        public ulong Nr;
        public fixed ulong Args[6];
        public ulong ExitPadding;
    }

    public static bool Exited(int status) => (status & 0x7f) == 0;

    public static int ExitCode(int status) => (status >> 8) & 0xff;

    public static bool Signaled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;

    public static int TermSignal(int status) => status & 0x7f;

    public static int StopSignal(int status) => (status >> 8) & 0xff;

    public static int Event(int status) => status >> 16;

    public static int LastError => Marshal.GetLastPInvokeError();
}
