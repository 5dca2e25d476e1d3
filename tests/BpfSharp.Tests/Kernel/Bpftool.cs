using System.Text.Json;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Kernel;

/// <summary>Runs the system's bpftool and reports failures with the command line and bpftool's own words.</summary>
public static class Bpftool
{
    static readonly Lazy<string> path = new(() => Locate("bpftool"));

    /// <summary>Runs <c>bpftool ARGS</c>; returns exit code and output, never throws for a non-zero exit.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Try(params string[] arguments) =>
        Requirements.Run(path.Value, arguments);

    /// <summary>Runs <c>bpftool ARGS</c> and returns stdout; throws <see cref="KernelOracleException"/> on failure.</summary>
    public static string Check(params string[] arguments) => Checked(Try(arguments), arguments);

    /// <summary>Runs <c>bpftool -j ARGS</c> and parses its JSON output.</summary>
    public static JsonElement Json(params string[] arguments)
    {
        var stdout = Check(["-j", .. arguments]);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    /// <summary>stdout of a finished run, or an exception naming the command and quoting stderr.</summary>
    public static string Checked((int ExitCode, string Stdout, string Stderr) run, IEnumerable<string> arguments)
    {
        if (run.ExitCode == 0) return run.Stdout;
        var said = string.Join('\n', run.Stderr.Split('\n').Where(l => l.Length > 0).TakeLast(8));
        if (said.Length == 0) said = run.Stdout.Trim();
        throw new KernelOracleException($"bpftool {string.Join(' ', arguments)} failed (exit {run.ExitCode}): {said}");
    }

    static string Locate(string name) => Requirements.Which(name) ?? throw new KernelOracleException($"{name} is not installed");
}
