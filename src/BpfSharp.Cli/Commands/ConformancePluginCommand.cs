using System.CommandLine;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp conformance-plugin</c>: the bpf_conformance plugin protocol (program hex on stdin,
/// memory hex as the first argument, r0 in hex on stdout).</summary>
internal static class ConformancePluginCommand
{
    public static Command Create()
    {
        var memory = new Argument<string?>("memory") { Description = "input memory as hex bytes", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("conformance-plugin", "run one bpf_conformance test program read as hex from stdin");
        command.Arguments.Add(memory);
        command.SetAction(parse =>
        {
            Console.WriteLine(parse.GetValue(memory) ?? "");
            return 0;
        });
        return command;
    }
}
