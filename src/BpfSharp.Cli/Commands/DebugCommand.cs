using System.CommandLine;
using BpfSharp.Cli.Debugging;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp debug OBJ PROGRAM [run options] [--capture FILE --packet N]</c>: a gdb-like prompt over a
/// debug session of the program; <c>bpfsharp debug</c> alone speaks the Debug Adapter Protocol on stdin/stdout (what
/// VS Code's extension runs).</summary>
internal static class DebugCommand
{
    public static Command Create()
    {
        var arguments = new RunArguments();
        arguments.File.Arity = ArgumentArity.ZeroOrOne;
        var capture = new Option<string?>("--capture") { Description = "a .pcap or .pcapng capture: the run's data_in is one of its packets (--packet)" };
        var packet = new Option<int>("--packet") { Description = "which packet of --capture, from 1 (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("debug", """
            debug a program on the interpreter: breakpoints on C lines, steps through calls and tail calls, registers, stack, maps

            With an object and a program: a gdb-like prompt ('help' lists its commands). Without: the Debug Adapter
            Protocol on stdin/stdout, for VS Code (editors/vscode) and other DAP clients.

            examples:
              bpfsharp debug examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink
              bpfsharp debug examples/xdp-pipeline/xdp_pipeline.o xdp_parse --capture examples/xdp-pipeline/traffic.pcap --packet 3
              bpfsharp debug            (DAP)
            exit codes: 0 done, 1 bad input
            """);
        arguments.AddTo(command);
        command.Options.Add(capture);
        command.Options.Add(packet);
        command.SetAction(parse => CliErrors.Guard(parse, () =>
        {
            if (parse.GetValue(arguments.File) is null) return DapServer.Serve(Console.OpenStandardInput(), Console.OpenStandardOutput());
            var launch = new DebugLaunch(arguments.Read(parse, json: false), parse.GetValue(capture), parse.GetValue(packet));
            var (obj, session) = launch.Open();
            using (obj)
            using (session)
                return new DebugPrompt(session, Path.GetDirectoryName(launch.Run.ObjectPath), Console.In, Console.Out, echo: Console.IsInputRedirected).Run();
        }));
        return command;
    }
}
