using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp syscalls OBJ [--program P] [--tail-call MAP:I=PROG] [--json] [--engine E] -- COMMAND [ARGS]</c>: runs COMMAND
/// under ptrace and runs a kprobe program at each of its syscall entries, as if attached to
/// <c>__seccomp_filter</c> (samples/bpf/tracex5), streaming what it prints in trace_pipe's format. Exits with the
/// command's exit code; Ctrl-C kills the command and exits with 130.</summary>
internal static class SyscallsCommand
{
    internal sealed record Options(string ObjectPath, string? Program, IReadOnlyList<string> TailCalls, bool Json, IReadOnlyList<string> Command,
        ExecutionEngine Engine);

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a BPF ELF object with a kprobe program, e.g. SEC(\"kprobe/__seccomp_filter\")" };
        var commandLine = new Argument<string[]>("command") { Description = "the command to trace and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var program = new Option<string?>("--program") { Description = "the program to run at each syscall entry (function or section); default: the one kprobe program outside kprobe/N sections" };
        var tailCall = new Option<string[]>("--tail-call") { Description = "MAP:INDEX=PROGRAM: put PROGRAM in a program array slot (repeatable); programs in SEC(\"kprobe/N\") go to slot N by themselves" };
        var json = new Option<bool>("--json") { Description = "print one JSON object at the end: exit code, syscalls seen, trace lines, maps" };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var command = new Command("syscalls", """
            run a command under ptrace and a kprobe program at each of its syscall entries (__seccomp_filter's arguments)

            examples:
              bpfsharp syscalls examples/tracex5/tracex5.o -- ls examples
              bpfsharp syscalls examples/tracex5/tracex5.o --json -- cat /etc/hostname
            exit codes: 0 the command ran (its own exit status is printed), 1 bad input, 2 a program stopped with a run-time error
            """)
        {
            file, commandLine, program, tailCall, json, engine,
        };
        command.SetAction(parse => CliErrors.Guard(parse, () => Run(new Options(parse.GetValue(file)!.FullName, parse.GetValue(program),
            parse.GetValue(tailCall) ?? [], parse.GetValue(json), parse.GetValue(commandLine) ?? [], EngineOption.Parse(parse.GetValue(engine)!)),
            Console.Out)));
        return command;
    }

    public static int Run(Options o, TextWriter stdout)
    {
        using var obj = BpfObject.Load(o.ObjectPath);
        SyscallHandlers.Install(obj);
        foreach (var tailCall in o.TailCalls) ObjectRun.FillSlot(obj, tailCall);
        using var probe = new SeccompFilterProbe(SyscallHandlers.Entry(obj, o.ObjectPath, o.Program), o.Engine);
        var trace = new List<TraceEvent>();
        long syscalls = 0;
        using var cancellation = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var exitCode = SyscallTracer.Run(o.Command[0], o.Command.Skip(1).ToList(), entry =>
        {
            syscalls++;
            probe.Handle(entry);
            foreach (var line in obj.TracePipe.Drain())
            {
                if (o.Json) trace.Add(line);
                else stdout.WriteLine(line);
            }
        }, cancellation.Token);
        if (o.Json) WriteJson(stdout, obj, o, exitCode, syscalls, trace);
        else Console.Error.WriteLine($"bpfsharp: {o.Command[0]} exited with {exitCode}; {syscalls} syscalls traced");
        return exitCode;

        void Cancel(PosixSignalContext context)
        {
            // The command is killed and the trace ends normally, instead of the runtime ending this process.
            context.Cancel = true;
            cancellation.Cancel();
        }
    }

    static void WriteJson(TextWriter stdout, BpfObject obj, Options o, int exitCode, long syscalls, List<TraceEvent> trace)
    {
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("command");
            foreach (var word in o.Command) json.WriteStringValue(word);
            json.WriteEndArray();
            json.WriteNumber("exitCode", exitCode);
            json.WriteNumber("syscalls", syscalls);
            json.WriteStartArray("trace");
            foreach (var e in trace)
            {
                json.WriteStartObject();
                json.WriteString("comm", e.Comm);
                json.WriteNumber("pid", e.Pid);
                json.WriteNumber("cpu", e.Cpu);
                json.WriteNumber("timestampNs", e.TimestampNs);
                json.WriteString("message", e.Message);
                json.WriteString("line", e.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            MapsJson.Write(json, obj);
            json.WriteEndObject();
        });
    }
}
