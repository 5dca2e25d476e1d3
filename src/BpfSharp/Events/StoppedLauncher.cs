using System.Collections;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace BpfSharp.Events;

/// <summary>Starts a command stopped before its first instruction, so a tracer can attach without missing a syscall.
/// .NET cannot run managed code between fork and exec (so no <c>PTRACE_TRACEME</c> in the child), and attaching to a
/// running process races with it; so the child is <c>/bin/sh -c 'kill -STOP $$; exec "$0" "$@"'</c> started with
/// posix_spawn: it stops itself, the tracer seizes it, and everything after its exec is the command's own.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe class StoppedLauncher
{
    const string Shell = "/bin/sh";
    const string StopThenExec = "kill -STOP $$; exec \"$0\" \"$@\"";

    /// <summary>Spawns the command from the calling thread (the tracer: the child is its own, for waitpid) and
    /// returns its pid once it has stopped.</summary>
    public static int Start(string command, IReadOnlyList<string> arguments)
    {
        var path = Resolve(command);
        if (!File.Exists(Shell)) throw new SyscallTracingException($"{Shell} is missing: it starts the command stopped for the tracer");
        var pid = Spawn(Shell, ["sh", "-c", StopThenExec, path, .. arguments]);
        int status;
        while (Libc.waitpid(pid, &status, Libc.WUNTRACED) < 0)
            if (Libc.LastError != Libc.EINTR) throw new SyscallTracingException($"waitpid for the new process {pid} failed: errno {Libc.LastError}");
        if (Libc.Exited(status) || Libc.Signaled(status))
            throw new SyscallTracingException($"{Shell} exited before it could stop for the tracer (status 0x{status:x})");
        return pid;
    }

    /// <summary>The command as exec will find it: a path as given, a name through PATH.</summary>
    static string Resolve(string command)
    {
        if (command.Length == 0) throw new SyscallTracingException("the command is empty");
        if (command.Contains('/'))
            return File.Exists(command) ? Path.GetFullPath(command) : throw new SyscallTracingException($"{command}: no such file");
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        throw new SyscallTracingException($"{command}: command not found on PATH");
    }

    static int Spawn(string path, string[] argv)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray();
        var strings = new List<nint>();
        try
        {
            var args = Pointers(argv, strings);
            var env = Pointers(environment, strings);
            var file = Utf8(path, strings);
            int pid;
            int error;
            fixed (nint* a = args, e = env)
                error = Libc.posix_spawn(&pid, (byte*)file, 0, 0, (byte**)a, (byte**)e);
            if (error != 0) throw new SyscallTracingException($"posix_spawn {path} failed: errno {error}");
            return pid;
        }
        finally
        {
            foreach (var s in strings) NativeMemory.Free((void*)s);
        }
    }

    /// <summary>A NULL-terminated array of C strings, each recorded in <paramref name="owned"/> for freeing.</summary>
    static nint[] Pointers(string[] values, List<nint> owned) => [.. values.Select(v => Utf8(v, owned)), 0];

    static nint Utf8(string value, List<nint> owned)
    {
        var bytes = Encoding.UTF8.GetBytes(value + "\0");
        var memory = (nint)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>((void*)memory, bytes.Length));
        owned.Add(memory);
        return memory;
    }
}
