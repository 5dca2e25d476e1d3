using System.CommandLine;
using BpfSharp.Execution;
using BpfSharp.Loading;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp pcap OBJ [--program P] CAPTURE [--out FILE] [--json]</c>: runs an XDP, tc or socket-filter
/// program over every packet of a pcap or pcapng capture, the object's maps carrying over from packet to packet, and
/// reports the verdicts, the rate and the maps at the end; <c>--out</c> writes the packets the program let through,
/// as it left them, to a new pcap.</summary>
internal static class PcapCommand
{
    internal sealed record Options(string ObjectPath, string CapturePath, string? Program, string? Output, IReadOnlyList<string> TailCalls,
        IReadOnlyList<string> Globals, bool Json, ExecutionEngine Engine = ExecutionEngine.Interpreter, IReadOnlyList<string>? Updates = null, int Jobs = 1);

    public static Command Create()
    {
        var file = new Argument<FileInfo>("object") { Description = "a BPF ELF object" };
        var capture = new Argument<FileInfo>("capture") { Description = "a .pcap or .pcapng capture (Ethernet, raw IP or Linux cooked, as tcpdump -i any writes)" };
        var program = new Option<string?>("--program") { Description = "the program (function name or section); needed when the object has several" };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "write the packets the program lets through, with its rewrites, to this pcap; redirected ones to one capture per target beside it (OUT.ifindex-3.pcap, OUT.cpu-1.pcap)",
        };
        var update = new Option<string[]>("--update") { Description = "MAP:KEYHEX=VALUEHEX: set a map entry first, e.g. a devmap's ifindex (repeatable)" };
        var engine = new Option<string>("--engine") { Description = "interpreter or jit", DefaultValueFactory = _ => "interpreter" };
        var tailCall = new Option<string[]>("--tail-call") { Description = "MAP:INDEX=PROGRAM: put PROGRAM in a program array slot (repeatable)" };
        var setGlobal = new Option<string[]>("--set-global") { Description = "MAP:OFFSET=HEXBYTES: write bytes into global data, MAP being e.g. .data (repeatable)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object: verdicts, rate, programs per packet, maps" };
        var jobs = new Option<int>("--jobs")
        {
            Description = "replay on N cores, packets spread by flow as a NIC's RSS does (worker N-1 runs as CPU N-1); at most one per processor",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("pcap", """
            run an XDP, tc or socket-filter program over every packet of a pcap or pcapng capture

            examples:
              bpfsharp pcap examples/xdp-pipeline/xdp_pipeline.o --program xdp_parse examples/xdp-pipeline/traffic.pcap
              bpfsharp pcap examples/xdp-pipeline/xdp_pipeline.o examples/xdp-pipeline/traffic.pcap --program xdp_parse --engine jit --out passed.pcap --json
              bpfsharp pcap examples/xdp-pipeline/xdp_pipeline.o examples/xdp-pipeline/traffic.pcap --program xdp_parse --engine jit --jobs 2
            exit codes: 0 ran, 1 bad input (the object, a corrupt capture), 2 a program stopped with a run-time error
            """)
        {
            file, capture, program, output, engine, jobs, tailCall, setGlobal, update, json,
        };
        command.SetAction(parse => CliErrors.Guard(parse, () =>
            Run(new Options(parse.GetValue(file)!.FullName, parse.GetValue(capture)!.FullName, parse.GetValue(program),
                parse.GetValue(output)?.FullName, parse.GetValue(tailCall) ?? [], parse.GetValue(setGlobal) ?? [], parse.GetValue(json),
                EngineOption.Parse(parse.GetValue(engine)!), parse.GetValue(update) ?? [], parse.GetValue(jobs)), Terminal.Create(), Console.Out)));
        return command;
    }

    public static int Run(Options o, IAnsiConsole console, TextWriter stdout)
    {
        using var obj = BpfObject.Load(o.ObjectPath);
        var program = Pick(obj, o.ObjectPath, o.Program);
        foreach (var tailCall in o.TailCalls) ObjectRun.FillSlot(obj, tailCall);
        foreach (var global in o.Globals) ObjectRun.SetGlobal(obj, global);
        foreach (var entry in o.Updates ?? []) ObjectRun.UpdateEntry(obj, entry);
        var summary = CaptureRun.Replay(program, o.Engine, o.CapturePath, o.Output, console, quiet: o.Json, o.Jobs);
        var maps = obj.Maps.Select(m => (m.Key, m.Value));
        if (o.Json) ReplayReport.WriteJson(stdout, program, o.CapturePath, summary, o.Output, maps);
        else ReplayReport.WriteText(console, program, o.CapturePath, summary, o.Output, maps);
        return 0;
    }

    /// <summary>The program asked for, or the object's only one.</summary>
    static BpfProgram Pick(BpfObject obj, string path, string? name)
    {
        if (name is not null)
            return obj.Programs.GetValueOrDefault(name) ?? obj.FindBySection(name)
                ?? throw new BpfException($"{path} has no program '{name}' (it has {string.Join(", ", obj.Programs.Keys)})");
        return obj.Programs.Count == 1 ? obj.Programs.Values.Single()
            : throw new BpfException($"{path} has {obj.Programs.Count} programs: say which with --program ({string.Join(", ", obj.Programs.Keys)})");
    }
}
