using System.Diagnostics;
using System.Text.Json;
using BpfSharp.Tests.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary><c>bpfsharp syscalls examples/tracex5/tracex5.o -- COMMAND</c> end to end, as a separate process: cat's
/// calls on a file we wrote come out as trace_pipe lines in order with cat's own output, the exit code passes
/// through, Ctrl-C ends it with 130 and takes the command with it.</summary>
public class SyscallsCommandTests
{
    [FactRequires(Requirement.Ptrace)]
    public void Tracex5_prints_cats_open_read_and_write_around_cats_own_output()
    {
        using var file = new TempFile("traced content\n");
        var (exit, stdout, stderr) = CliProcess.Run(["syscalls", Tracex5.ObjectPath, "--", "cat", file.Path]);
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var open = Array.FindIndex(lines, l => l.EndsWith($": bpf_trace_printk: openat(dfd=-100, path={file.Path})", StringComparison.Ordinal));
        Assert.True(open >= 0, stdout);
        Assert.Matches(@"^ {13}cat-\d+ +\[\d{3}\] \.\.\.21 +\d+\.\d{6}: bpf_trace_printk: read\(fd=3, count=\d+\)$", lines[open + 1]);
        Assert.EndsWith(": bpf_trace_printk: write(fd=1, count=15)", lines[open + 2]);
        Assert.Equal("traced content", lines[open + 3]);
        Assert.Matches(@"^bpfsharp: cat exited with 0; \d+ syscalls traced\n$", stderr);
    }

    [FactRequires(Requirement.Ptrace)]
    public void Json_gives_the_exit_code_and_the_trace_lines_here_from_the_jit()
    {
        using var file = new TempFile("0123456789");
        var (exit, stdout, _) = CliProcess.Run(["syscalls", Tracex5.ObjectPath, "--json", "--engine", "jit", "--", "sh", "-c", "cat \"$0\" > /dev/null; exit 4", file.Path]);
        Assert.Equal(4, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(4, doc.RootElement.GetProperty("exitCode").GetInt32());
        var trace = doc.RootElement.GetProperty("trace").EnumerateArray().ToList();
        var write = Assert.Single(trace, t => t.GetProperty("comm").GetString() == "cat" && t.GetProperty("message").GetString()!.StartsWith("write("));
        Assert.Equal("write(fd=1, count=10)", write.GetProperty("message").GetString());
        Assert.Contains(trace, t => t.GetProperty("message").GetString() == $"openat(dfd=-100, path={file.Path})");
    }

    [FactRequires(Requirement.Ptrace)]
    public void The_handlers_can_be_placed_with_tail_call_and_the_entry_named_with_program()
    {
        using var file = new TempFile("abc");
        var (exit, stdout, _) = CliProcess.Run(["syscalls", Tracex5.ObjectPath, "--program", "dispatch",
            "--tail-call", $"progs:{HostSyscalls.Write}=handle_read", "--", "cat", file.Path]);
        Assert.Equal(0, exit);
        // handle_read now serves write: it prints the write's fd and count under its own name.
        Assert.Contains(": bpf_trace_printk: read(fd=1, count=3)\n", stdout);
    }

    [FactRequires(Requirement.Ptrace, Requirement.Sigint)]
    public void Ctrl_c_kills_the_command_and_exits_with_130()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliProcess.Dll, "syscalls", Tracex5.ObjectPath, "--", "sleep", "30" }) info.ArgumentList.Add(a);
        using var cli = Process.Start(info)!;
        var stderr = cli.StandardError.ReadToEndAsync();
        // The first trace line means sleep runs under the tracer.
        Assert.NotNull(cli.StandardOutput.ReadLine());
        var sleep = int.Parse(File.ReadAllText($"/proc/{cli.Id}/task/{TracerThread(cli.Id)}/children").Trim());
        Requirements.Run("kill", ["-INT", cli.Id.ToString()]);
        Assert.True(cli.WaitForExit(TimeSpan.FromSeconds(20)), "bpfsharp did not end");
        Assert.Equal(130, cli.ExitCode);
        Assert.Equal("bpfsharp: sleep exited with 130", stderr.Result.Split(';')[0]);
        Assert.False(Directory.Exists($"/proc/{sleep}"), $"sleep {sleep} is still there");
    }

    [Fact]
    public void An_object_without_a_kprobe_program_is_one_line()
    {
        var (exit, _, stderr) = CliProcess.Run(["syscalls", Path.Combine(Requirements.RepositoryRoot, "examples", "drinks", "drinks.o"), "--", "true"]);
        Assert.Equal(1, exit);
        Assert.EndsWith("drinks.o has no kprobe program to run at syscall entry (such as SEC(\"kprobe/__seccomp_filter\"))\n", stderr);
    }

    [FactRequires(Requirement.Ptrace)]
    public void An_unknown_command_is_one_line()
    {
        var (exit, _, stderr) = CliProcess.Run(["syscalls", Tracex5.ObjectPath, "--", "no-such-command-here"]);
        Assert.Equal(1, exit);
        Assert.Equal("bpfsharp: no-such-command-here: command not found on PATH\n", stderr);
    }

    /// <summary>The thread of bpfsharp whose child the command is (the tracer's).</summary>
    static string TracerThread(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Select(Path.GetFileName)
            .Single(t => File.ReadAllText($"/proc/{pid}/task/{t}/children").Trim().Length > 0)!;
}
