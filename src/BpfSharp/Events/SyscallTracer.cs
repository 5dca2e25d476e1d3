using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace BpfSharp.Events;

/// <summary>Runs a command under ptrace (Linux, x86-64 and arm64) and reports every syscall entry of it, its threads
/// and its children, from its first instruction (after the exec that starts it) until the last of them exits.
/// Tracees are seized with <c>PTRACE_O_EXITKILL</c>, so they die with the tracer instead of staying stopped; on
/// cancellation they are killed. Syscall numbers and arguments come from <c>PTRACE_GET_SYSCALL_INFO</c> (Linux 5.3).</summary>
internal static unsafe class SyscallTracer
{
    const int Options = Libc.PTRACE_O_TRACESYSGOOD | Libc.PTRACE_O_TRACEFORK | Libc.PTRACE_O_TRACEVFORK | Libc.PTRACE_O_TRACECLONE
        | Libc.PTRACE_O_TRACEEXEC | Libc.PTRACE_O_EXITKILL;

    /// <summary>The exit code a cancelled trace reports, as a shell does for a command stopped by Ctrl-C.</summary>
    public const int CancelledExitCode = 128 + Libc.SIGINT;

    /// <summary>Runs <paramref name="command"/> (a path, or a name looked up in PATH) with <paramref name="arguments"/>,
    /// calls <paramref name="onEntry"/> at each syscall entry while the task is stopped there, and returns the
    /// command's exit code (128 + the signal if a signal ended it; <see cref="CancelledExitCode"/> when cancelled).
    /// The callback runs on the tracer's own thread; if it throws, the tracees are killed and the exception passes on.</summary>
    public static int Run(string command, IReadOnlyList<string> arguments, Action<SyscallEntry> onEntry, CancellationToken cancellation = default)
    {
        if (!OperatingSystem.IsLinux())
            throw new SyscallTracingException($"tracing syscalls needs Linux (ptrace); this is {RuntimeInformation.OSDescription}");
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            throw new SyscallTracingException($"tracing syscalls is supported on x86-64 and arm64, not {RuntimeInformation.ProcessArchitecture}");
        var session = new Session(command, arguments, onEntry, cancellation);
        // ptrace binds tracees to the thread that attached: one dedicated thread spawns, seizes and waits.
        var thread = new Thread(session.Trace) { Name = "bpfsharp syscall tracer", IsBackground = true };
        thread.Start();
        thread.Join();
        session.Failure?.Throw();
        return session.ExitCode;
    }

    [SupportedOSPlatform("linux")]
    sealed class Session(string command, IReadOnlyList<string> arguments, Action<SyscallEntry> onEntry, CancellationToken cancellation)
    {
        readonly HashSet<int> tracees = new();
        readonly TaskIdentities identities = new();
        int leader;
        bool execed;
        volatile bool cancelled;

        public int ExitCode { get; private set; }

        public ExceptionDispatchInfo? Failure { get; private set; }

        public void Trace()
        {
            try
            {
                leader = StoppedLauncher.Start(command, arguments);
                tracees.Add(leader);
                Seize();
                using var registration = cancellation.Register(KillAll);
                Loop();
                if (cancelled) ExitCode = CancelledExitCode;
            }
            catch (Exception e)
            {
                Failure = ExceptionDispatchInfo.Capture(e);
                KillAll();
                Reap();
            }
        }

        void Seize()
        {
            if (Libc.ptrace(Libc.PTRACE_SEIZE, leader, 0, Options) < 0)
            {
                var errno = Libc.LastError;
                throw new SyscallTracingException(errno == Libc.EPERM
                    ? "ptrace is not permitted here (PTRACE_SEIZE: EPERM): allow it (kernel.yama.ptrace_scope at most 1; CAP_SYS_PTRACE and no seccomp ban in a container)"
                    : $"PTRACE_SEIZE of the new process failed: errno {errno}");
            }
            // The shell stopped itself: let it go on to its exec, now traced.
            Libc.kill(leader, Libc.SIGCONT);
        }

        void Loop()
        {
            while (Count() > 0)
            {
                int status;
                var pid = Libc.waitpid(-1, &status, Libc.__WALL | Libc.__WNOTHREAD);
                if (pid < 0)
                {
                    if (Libc.LastError == Libc.EINTR) continue;
                    if (Libc.LastError == Libc.ECHILD) return;
                    throw new SyscallTracingException($"waitpid failed: errno {Libc.LastError}");
                }
                if (Libc.Exited(status) || Libc.Signaled(status))
                {
                    Ended(pid, status);
                    continue;
                }
                // A new child may report its first stop before its parent reports the fork.
                lock (tracees) tracees.Add(pid);
                if (cancelled)
                {
                    Libc.kill(pid, Libc.SIGKILL);
                    continue;
                }
                Stopped(pid, status);
            }
        }

        void Stopped(int pid, int status)
        {
            var signal = Libc.StopSignal(status);
            var ptraceEvent = Libc.Event(status);
            if (signal == (Libc.SIGTRAP | 0x80))
            {
                SyscallStop(pid);
                Resume(pid, 0);
            }
            else if (ptraceEvent == Libc.PTRACE_EVENT_STOP)
            {
                // A group-stop (SIGSTOP, Ctrl-Z...) keeps the tracee stopped until SIGCONT, as without a tracer;
                // any other event-stop is a new tracee's first stop or the wake-up after SIGCONT.
                if (signal is Libc.SIGSTOP or Libc.SIGTSTP or Libc.SIGTTIN or Libc.SIGTTOU) Libc.ptrace(Libc.PTRACE_LISTEN, pid, 0, 0);
                else Resume(pid, 0);
            }
            else if (ptraceEvent != 0)
            {
                Event(pid, ptraceEvent);
                Resume(pid, 0);
            }
            else
            {
                Resume(pid, signal);   // a signal on its way to the tracee: deliver it
            }
        }

        void Event(int pid, int ptraceEvent)
        {
            ulong message;
            Libc.ptrace(Libc.PTRACE_GETEVENTMSG, pid, 0, (nint)(&message));
            switch (ptraceEvent)
            {
                case Libc.PTRACE_EVENT_FORK or Libc.PTRACE_EVENT_VFORK or Libc.PTRACE_EVENT_CLONE:
                    lock (tracees) tracees.Add((int)message);
                    break;
                case Libc.PTRACE_EVENT_EXEC:
                    // A thread that execs takes the process id; the message is its old thread id, which is gone.
                    if ((int)message != pid)
                        lock (tracees) tracees.Remove((int)message);
                    identities.Forget((int)message);
                    identities.Forget(pid);
                    if (pid == leader) execed = true;
                    break;
            }
        }

        void SyscallStop(int pid)
        {
            Libc.SyscallInfo info;
            if (Libc.ptrace(Libc.PTRACE_GET_SYSCALL_INFO, pid, sizeof(Libc.SyscallInfo), (nint)(&info)) < 0)
            {
                if (Libc.LastError == Libc.ESRCH) return;   // killed while stopped
                throw new SyscallTracingException($"PTRACE_GET_SYSCALL_INFO failed (errno {Libc.LastError}): tracing syscalls needs Linux 5.3 or later");
            }
            // The launcher shell's syscalls before its exec are not the command's.
            if (info.Op != Libc.PTRACE_SYSCALL_INFO_ENTRY || (pid == leader && !execed)) return;
            var args = new ulong[6];
            for (var i = 0; i < args.Length; i++) args[i] = info.Args[i];
            onEntry(new SyscallEntry(identities.Get(pid), info.Arch, (int)info.Nr, info.InstructionPointer, args, new ProcessMemory(pid)));
        }

        void Ended(int pid, int status)
        {
            lock (tracees) tracees.Remove(pid);
            identities.Forget(pid);
            if (pid == leader) ExitCode = Libc.Exited(status) ? Libc.ExitCode(status) : 128 + Libc.TermSignal(status);
        }

        static void Resume(int pid, int signal) => Libc.ptrace(Libc.PTRACE_SYSCALL, pid, 0, signal);

        int Count()
        {
            lock (tracees) return tracees.Count;
        }

        /// <summary>Kills every tracee (cancellation, or a failure of the tracer): the loop then reaps them.</summary>
        void KillAll()
        {
            lock (tracees)
            {
                cancelled = true;
                foreach (var pid in tracees) Libc.kill(pid, Libc.SIGKILL);
            }
        }

        /// <summary>Waits for the killed tracees, so none is left a zombie.</summary>
        void Reap()
        {
            while (Count() > 0)
            {
                int status;
                var pid = Libc.waitpid(-1, &status, Libc.__WALL | Libc.__WNOTHREAD);
                if (pid < 0 && Libc.LastError == Libc.EINTR) continue;
                if (pid < 0) return;
                if (Libc.Exited(status) || Libc.Signaled(status)) lock (tracees) tracees.Remove(pid);
                else Libc.kill(pid, Libc.SIGKILL);
            }
        }
    }
}
