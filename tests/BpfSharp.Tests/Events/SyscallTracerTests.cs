using System.Diagnostics;
using BpfSharp.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>The ptrace tracer on real commands: what they call is known from the commands themselves (cat opens the
/// file it is given and writes its bytes; the shell's exit code is the one it is told), not from our output.</summary>
public class SyscallTracerTests
{
    const string Content = "hello from a traced cat\n";

    [FactRequires(Requirement.Ptrace)]
    public void Cat_opens_the_file_it_is_given_and_writes_its_length_to_stdout()
    {
        using var file = new TempFile(Content);
        var cat = TracedCommand.Cat(file.Path);
        Assert.Equal(0, cat.ExitCode);
        Assert.Contains(file.Path, cat.OpenedPaths);
        var write = Assert.Single(cat.Entries, e => e.Number == HostSyscalls.Write);
        Assert.Equal([1UL, (ulong)file.Length], [write.Arguments[0], write.Arguments[2]]);
    }

    [FactRequires(Requirement.Ptrace)]
    public void The_last_call_is_exit_group_0_in_the_hosts_convention()
    {
        var run = TracedCommand.Run("/bin/true");
        var last = run.Entries[^1];
        Assert.Equal(HostSyscalls.ExitGroup, last.Number);
        Assert.Equal(0UL, last.Arguments[0]);
        Assert.All(run.Entries, e => Assert.Equal(HostSyscalls.AuditArch, e.Arch));
    }

    [FactRequires(Requirement.Ptrace)]
    public void The_task_is_the_traced_process_after_its_exec()
    {
        using var file = new TempFile(Content);
        var cat = TracedCommand.Cat(file.Path);
        var task = cat.Entries[^1].Task;
        Assert.Equal("cat", task.Comm);
        Assert.Equal(task.Pid, task.Tgid);
        Assert.NotEqual(Environment.ProcessId, task.Pid);
        Assert.Equal(UnixUid(), task.Uid);
    }

    [FactRequires(Requirement.Ptrace)]
    public void Children_are_traced_under_their_own_pids()
    {
        // dash runs the last command of -c in place; "exit 0" keeps both trues in children.
        var run = TracedCommand.Run("/bin/sh", "-c", "/bin/true; /bin/true; exit 0");
        Assert.Equal(0, run.ExitCode);
        var processes = run.Entries.Select(e => e.Task.Tgid).Distinct().ToList();
        Assert.Equal(3, processes.Count);
        Assert.Equal(2, run.Entries.Where(e => e.Task.Comm == "true" && e.Number == HostSyscalls.ExitGroup).Select(e => e.Task.Pid).Distinct().Count());
    }

    [FactRequires(Requirement.Ptrace, Requirement.Python3)]
    public void Threads_are_traced_under_their_own_thread_ids()
    {
        var run = TracedCommand.Run("python3", "-c",
            "import threading,os\nts=[threading.Thread(target=os.getpid) for _ in range(3)]\n[t.start() for t in ts]\n[t.join() for t in ts]");
        Assert.Equal(0, run.ExitCode);
        var python = run.Entries.Where(e => e.Task.Comm.StartsWith("python", StringComparison.Ordinal)).ToList();
        Assert.Single(python.Select(e => e.Task.Tgid).Distinct());
        Assert.Equal(4, python.Select(e => e.Task.Pid).Distinct().Count());
    }

    [TheoryRequires(Requirement.Ptrace)]
    [InlineData("exit 7", 7)]
    [InlineData("kill -9 $$", 128 + 9)]
    public void The_exit_code_is_the_commands_or_128_plus_the_signal(string script, int expected) =>
        Assert.Equal(expected, TracedCommand.Run("/bin/sh", "-c", script).ExitCode);

    [FactRequires(Requirement.Ptrace)]
    public void Cancelling_kills_the_command_and_reports_130()
    {
        using var cancel = new CancellationTokenSource();
        var pid = 0;
        var clock = Stopwatch.StartNew();
        var exit = SyscallTracer.Run("/bin/sleep", ["30"], entry =>
        {
            pid = entry.Task.Tgid;
            cancel.Cancel();
        }, cancel.Token);
        Assert.Equal(SyscallTracer.CancelledExitCode, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.False(Directory.Exists($"/proc/{pid}"), $"sleep {pid} is still there");
    }

    [FactRequires(Requirement.Ptrace)]
    public void A_failing_callback_kills_the_command_and_passes_the_error_on()
    {
        var pid = 0;
        var e = Assert.Throws<InvalidOperationException>(() => SyscallTracer.Run("/bin/sleep", ["30"], entry =>
        {
            pid = entry.Task.Tgid;
            throw new InvalidOperationException("the observer failed");
        }));
        Assert.Equal("the observer failed", e.Message);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"sleep {pid} is still there");
    }

    [FactRequires(Requirement.Ptrace)]
    public void An_unknown_command_is_named_in_the_error()
    {
        var e = Assert.Throws<SyscallTracingException>(() => SyscallTracer.Run("no-such-command-here", [], _ => { }));
        Assert.Equal("no-such-command-here: command not found on PATH", e.Message);
    }

    static uint UnixUid() => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t')[1]);
}
