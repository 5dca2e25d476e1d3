namespace BpfSharp.Execution;

/// <summary>The task a program runs "in", as the kernel's <c>current</c>: what <c>bpf_get_current_pid_tgid</c>,
/// <c>bpf_get_current_uid_gid</c> and <c>bpf_get_current_comm</c> report. The host process by default; a tracer
/// sets the traced task.</summary>
/// <param name="Pid">The thread id (the kernel's pid).</param>
/// <param name="Tgid">The process id (the kernel's tgid).</param>
/// <param name="Uid">The real user id.</param>
/// <param name="Gid">The real group id.</param>
/// <param name="Comm">The command name, at most 15 bytes (TASK_COMM_LEN - 1).</param>
internal sealed record TaskIdentity(int Pid, int Tgid, uint Uid, uint Gid, string Comm)
{
    /// <summary>This process, on the calling thread.</summary>
    public static TaskIdentity Host()
    {
        var process = Environment.ProcessId;
        var thread = OperatingSystem.IsLinux() ? NativeIds.gettid() : Environment.CurrentManagedThreadId;
        var (uid, gid) = OperatingSystem.IsWindows() ? (0u, 0u) : UnixIds();
        var comm = OperatingSystem.IsLinux() && File.Exists("/proc/self/comm")
            ? File.ReadAllText("/proc/self/comm").TrimEnd('\n')
            : System.Diagnostics.Process.GetCurrentProcess().ProcessName;
        return new TaskIdentity(thread, process, uid, gid, comm.Length > 15 ? comm[..15] : comm);
    }

    static (uint, uint) UnixIds() => (NativeIds.getuid(), NativeIds.getgid());
}
