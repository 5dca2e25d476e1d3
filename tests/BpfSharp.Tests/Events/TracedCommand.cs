using BpfSharp.Events;
using BpfSharp.Execution;

namespace BpfSharp.Tests.Events;

/// <summary>A command traced to its end, with every syscall entry it made and the strings its openat calls named
/// (read from the process while it was stopped at the call).</summary>
internal sealed class TracedCommand
{
    public List<SyscallEntry> Entries { get; } = [];

    /// <summary>The path of each openat, in order.</summary>
    public List<string> OpenedPaths { get; } = [];

    public int ExitCode { get; private set; }

    public static TracedCommand Run(string command, params string[] arguments)
    {
        var traced = new TracedCommand();
        traced.ExitCode = SyscallTracer.Run(command, arguments, entry =>
        {
            traced.Entries.Add(entry);
            if (entry.Number == HostSyscalls.Openat) traced.OpenedPaths.Add(ReadString(entry.Memory, entry.Arguments[1]));
        });
        return traced;
    }

    /// <summary><c>sh -c 'exec cat "$0" > /dev/null' FILE</c>: cat alone, its output out of the test's way.</summary>
    public static TracedCommand Cat(string file) => Run("/bin/sh", "-c", "exec cat \"$0\" > /dev/null", file);

    static string ReadString(IUserMemory memory, ulong address)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (memory.TryRead(address + (ulong)bytes.Count, one) && one[0] != 0) bytes.Add(one[0]);
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}
