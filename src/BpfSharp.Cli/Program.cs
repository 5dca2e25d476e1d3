using System.CommandLine;
using BpfSharp.Cli.Commands;

namespace BpfSharp.Cli;

/// <summary>The <c>bpfsharp</c> command: one subcommand per file in Commands/.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("bpfsharp: run, verify, disassemble and trace eBPF programs anywhere .NET runs");
        Command[] commands =
        [
            AsmCommand.Create(), BenchCommand.Create(), ChainCommand.Create(), ConformanceCommand.Create(), ConformancePluginCommand.Create(), DebugCommand.Create(),
            DisasmCommand.Create(),
            FuzzCommand.Create(), MapsCommand.Create(), PcapCommand.Create(), RunCommand.Create(), SyscallsCommand.Create(),
            TraceCommand.Create(), VerifyCommand.Create(),
        ];
        root.Options.Add(CliErrors.Verbose);
        foreach (var command in commands)
            root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }
}
