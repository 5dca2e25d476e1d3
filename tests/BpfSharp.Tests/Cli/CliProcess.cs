using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Cli;

/// <summary>Runs the real <c>bpfsharp</c> (BpfSharp.Cli.dll beside the tests) as a separate process.</summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "BpfSharp.Cli.dll");

    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> arguments, string? stdin = null) =>
        Requirements.Run("dotnet", new[] { Dll }.Concat(arguments), stdin);
}
