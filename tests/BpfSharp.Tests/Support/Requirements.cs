using BpfSharp.Cli.Kernel;
using System.Diagnostics;

namespace BpfSharp.Tests.Support;

/// <summary>Finds what the tests need outside the repository, and says why it is missing.</summary>
public static class Requirements
{
    /// <summary>The repository root (the folder holding BpfSharp.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared</c> beside the repository.</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary><c>tests/fixtures</c>.</summary>
    public static string FixturesDirectory => Path.Combine(RepositoryRoot, "tests", "fixtures");

    static readonly Dictionary<Requirement, string?> missing = new();

    /// <summary>Null when the requirement is met, else the reason it is not (shown as the skip reason).</summary>
    public static string? WhyMissing(Requirement requirement)
    {
        lock (missing)
        {
            if (!missing.TryGetValue(requirement, out var reason))
                missing[requirement] = reason = Check(requirement);
            return reason;
        }
    }

    static string? Check(Requirement requirement) => requirement switch
    {
        Requirement.Shared => Directory.Exists(Path.Combine(SharedDirectory, "conformance"))
            ? null : $"../shared is not beside the repository ({SharedDirectory} has no conformance/)",
        Requirement.LlvmObjdump19 => OnPath("llvm-objdump-19") ? null : "llvm-objdump-19 is not installed (apt-get install llvm-19)",
        Requirement.Clang19 => OnPath("clang-19") ? null : "clang-19 is not installed (apt-get install clang-19)",
        Requirement.Kernel => CheckKernel(),
        Requirement.BpfSyscall => KernelVerifier.WhyUnavailable(),
        Requirement.Ptrace => CheckPtrace(),
        Requirement.Python3 => OnPath("python3") ? null : "python3 is not installed",
        Requirement.Tmux => OnPath("tmux") ? null : "tmux is not installed (apt-get install tmux)",
        Requirement.RecordKernelVerdicts => Environment.GetEnvironmentVariable("BPFSHARP_RECORD_KERNEL") == "1"
            ? null : "records kernel answers only with BPFSHARP_RECORD_KERNEL=1 (tests/BpfSharp.Tests/Verification/record-kernel-verdicts.sh)",
        Requirement.Tcpdump => !OnPath("tcpdump") ? "tcpdump is not installed (apt-get install tcpdump)"
            : Environment.UserName != "root" ? "capturing on the loopback device needs root" : null,
        Requirement.Sigint => SigintIgnored()
            ? "SIGINT is ignored in this process (started as a background job), so the programs it starts ignore Ctrl-C too" : null,
        Requirement.TwoCpus => BpfSharp.Execution.ExecutionSlots.Count >= 2
            ? null : $"this machine has {BpfSharp.Execution.ExecutionSlots.Count} processor: one execution slot, one core to replay on",
        _ => $"unknown requirement {requirement}",
    };

    /// <summary>Bit 1 (SIGINT) of the ignored-signal mask in /proc/self/status.</summary>
    static bool SigintIgnored() =>
        OperatingSystem.IsLinux() && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:")) is { } line
        && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 1UL << (2 - 1)) != 0;

    /// <summary>Traces /bin/true once: the only sure way to know that ptrace is allowed here.</summary>
    static string? CheckPtrace()
    {
        try
        {
            BpfSharp.Events.SyscallTracer.Run("/bin/true", [], _ => { });
            return null;
        }
        catch (BpfSharp.Events.SyscallTracingException e)
        {
            return $"the syscall tracer cannot run here: {e.Message}";
        }
    }

    static string? CheckKernel()
    {
        if (!OperatingSystem.IsLinux()) return "the kernel oracle needs Linux";
        if (Environment.UserName != "root") return "the kernel oracle needs root (bpf() syscall)";
        if (Which("bpftool") is not { } bpftool) return "bpftool is not installed (apt-get install bpftool)";
        if (!Directory.Exists("/sys/fs/bpf")) return "/sys/fs/bpf (bpffs) is not mounted";
        // root in a container may still be denied bpf(): listing programs needs the same capability as loading them
        var probe = Run(bpftool, ["prog", "show"]);
        return probe.ExitCode == 0 ? null : $"bpftool cannot use the bpf() syscall here: {probe.Stderr.Trim()}";
    }

    /// <summary>Whether an executable is on PATH (or in /usr/sbin, /sbin).</summary>
    public static bool OnPath(string name) => Which(name) is not null;

    /// <summary>The full path of an executable on PATH (or in /usr/sbin, /sbin), or null.</summary>
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(new[] { "/usr/sbin", "/sbin" })
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a program to completion and returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string fileName, IEnumerable<string> arguments,
        string? stdin = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BpfSharp.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"no BpfSharp.slnx above {AppContext.BaseDirectory}");
    }
}
