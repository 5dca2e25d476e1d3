using System.Globalization;
using System.Text.Json.Nodes;
using BpfSharp.Cli.Commands;
using BpfSharp.Debugging;
using BpfSharp.Execution.Tracing;
using BpfSharp.Loading;

namespace BpfSharp.Cli.Debugging;

/// <summary><c>bpfsharp debug</c> without arguments: a debug adapter (Debug Adapter Protocol) over a
/// <see cref="DebugSession"/>. One thread (the run), frames innermost first with a label frame where a tail call
/// replaced one, scopes for registers (typed by the verifier's view), arguments, stack, globals, the context and
/// packet, and maps; registers and map entries can be set; exception filters stop on tail calls, helper calls and
/// run-time errors. Requests are answered in order; a run goes on until its next stop before the next is read.</summary>
internal sealed class DapServer
{
    const int ThreadId = 1;

    readonly DapConnection connection;
    readonly Dictionary<string, List<Breakpoint>> lineBreakpoints = new(StringComparer.Ordinal);
    readonly List<Breakpoint> functionBreakpoints = new();
    readonly DapVariables variables = new();
    BpfObject? obj;
    DebugSession? session;
    string objectDirectory = ".";
    bool stopOnEntry, terminated;

    DapServer(DapConnection connection) => this.connection = connection;

    /// <summary>Answers requests from <paramref name="input"/> on <paramref name="output"/> until <c>disconnect</c> or the
    /// end of the input; returns the exit code (0).</summary>
    public static int Serve(Stream input, Stream output)
    {
        var server = new DapServer(new DapConnection(input, output));
        try
        {
            while (server.connection.Read() is { } message)
                if (message["type"]?.GetValue<string>() == "request" && !server.Handle(message))
                    break;
        }
        finally
        {
            server.session?.Dispose();
            server.obj?.Dispose();
        }
        return 0;
    }

    /// <summary>Answers one request; false when the client is done (disconnect).</summary>
    bool Handle(JsonObject request)
    {
        var command = request["command"]?.GetValue<string>() ?? "";
        var arguments = request["arguments"] as JsonObject ?? new JsonObject();
        try
        {
            switch (command)
            {
                case "initialize": connection.Respond(request, Capabilities()); break;
                case "launch": Launch(request, arguments); break;
                case "setBreakpoints": connection.Respond(request, SetBreakpoints(arguments)); break;
                case "setFunctionBreakpoints": connection.Respond(request, SetFunctionBreakpoints(arguments)); break;
                case "setExceptionBreakpoints": SetExceptionBreakpoints(arguments); connection.Respond(request); break;
                case "configurationDone":
                    connection.Respond(request);
                    Session.StopOnEntry = stopOnEntry;
                    Go(Session.Continue);
                    break;
                case "threads":
                    connection.Respond(request, new JsonObject { ["threads"] = new JsonArray(new JsonObject { ["id"] = ThreadId, ["name"] = Session.Program.Name }) });
                    break;
                case "stackTrace": connection.Respond(request, StackTrace()); break;
                case "scopes": connection.Respond(request, new JsonObject { ["scopes"] = variables.Scopes(Session, Frame(arguments, "frameId")) }); break;
                case "variables": connection.Respond(request, new JsonObject { ["variables"] = variables.Of(Int(arguments, "variablesReference")) }); break;
                case "setVariable": connection.Respond(request, variables.Set(Session, Int(arguments, "variablesReference"), Text(arguments, "name"), Text(arguments, "value"))); break;
                case "evaluate": connection.Respond(request, Evaluate(arguments)); break;
                case "readMemory": connection.Respond(request, ReadMemory(arguments)); break;
                case "continue": Resume(request, Session.Continue, new JsonObject { ["allThreadsContinued"] = true }); break;
                case "next": Resume(request, Instruction(arguments) ? Session.NextInstruction : Session.StepOver); break;
                case "stepIn": Resume(request, Instruction(arguments) ? Session.StepInstruction : Session.StepInto); break;
                case "stepOut": Resume(request, Session.StepOut); break;
                case "terminate":
                    connection.Respond(request);
                    Terminate();
                    break;
                case "disconnect":
                    connection.Respond(request);
                    return false;
                default: connection.Respond(request, error: $"bpfsharp debug does not support '{command}'"); break;
            }
        }
        catch (Exception e) when (e is BpfException or InvalidOperationException or ArgumentException or FormatException or IOException
                                      or OverflowException or UnauthorizedAccessException)
        {
            connection.Respond(request, error: e.Message);
        }
        return true;
    }

    DebugSession Session => session ?? throw new InvalidOperationException("no program is launched yet");

    static JsonObject Capabilities() => new()
    {
        ["supportsConfigurationDoneRequest"] = true,
        ["supportsFunctionBreakpoints"] = true,
        ["supportsConditionalBreakpoints"] = true,
        ["supportsSetVariable"] = true,
        ["supportsReadMemoryRequest"] = true,
        ["supportsSteppingGranularity"] = true,
        ["supportsTerminateRequest"] = true,
        ["exceptionBreakpointFilters"] = new JsonArray(
            Filter("tailcall", "Tail calls", "stop at the target of each tail call (and where one falls through)", false),
            Filter("helper", "Helper calls", "stop before each helper call", false),
            Filter("error", "Run-time errors", "stop before an access that would fault", true)),
    };

    static JsonObject Filter(string id, string label, string description, bool on) =>
        new() { ["filter"] = id, ["label"] = label, ["description"] = description, ["default"] = on };

    /// <summary>launch: <c>object</c> (a .o), <c>program</c>, and as <c>bpfsharp run</c> takes them <c>dataIn</c>,
    /// <c>ctxIn</c>, <c>tailCalls</c>, <c>globals</c>, <c>updates</c>, <c>noVerify</c>; or <c>capture</c> with
    /// <c>packet</c>; <c>stopOnEntry</c>.</summary>
    void Launch(JsonObject request, JsonObject a)
    {
        if (session is not null) throw new InvalidOperationException("a program is launched already");
        var path = Path.GetFullPath(Text(a, "object"));
        var run = new ObjectRun.Options(path, Text(a, "program"), Optional(a, "dataIn"), Optional(a, "ctxIn"), 1, List(a, "tailCalls"),
            List(a, "globals"), false, Verify: a["noVerify"]?.GetValue<bool>() != true, Updates: List(a, "updates"));
        (obj, session) = new DebugLaunch(run, Optional(a, "capture"), a["packet"]?.GetValue<int>() ?? 1).Open();
        objectDirectory = Path.GetDirectoryName(path) ?? ".";
        stopOnEntry = a["stopOnEntry"]?.GetValue<bool>() == true;
        connection.Respond(request);
        connection.Event("initialized");
    }

    JsonObject SetBreakpoints(JsonObject a)
    {
        var path = (a["source"] as JsonObject)?["path"]?.GetValue<string>() ?? throw new BpfException("setBreakpoints: the source has no path");
        foreach (var old in lineBreakpoints.GetValueOrDefault(path) ?? []) Session.Remove(old);
        var added = lineBreakpoints[path] = new();
        var results = new JsonArray();
        foreach (var wanted in (a["breakpoints"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var line = Int(wanted, "line");
            results.Add(Add(Breakpoint.AtLine(path, line, Optional(wanted, "condition")), added, line, path));
        }
        return new JsonObject { ["breakpoints"] = results };
    }

    JsonObject SetFunctionBreakpoints(JsonObject a)
    {
        foreach (var old in functionBreakpoints) Session.Remove(old);
        functionBreakpoints.Clear();
        var results = new JsonArray();
        foreach (var wanted in (a["breakpoints"] as JsonArray ?? []).OfType<JsonObject>())
            results.Add(Add(Breakpoint.AtFunction(Text(wanted, "name"), Optional(wanted, "condition")), functionBreakpoints, null, null));
        return new JsonObject { ["breakpoints"] = results };
    }

    JsonObject Add(Breakpoint breakpoint, List<Breakpoint> into, int? line, string? path)
    {
        var result = new JsonObject();
        try
        {
            Session.Add(breakpoint);
            into.Add(breakpoint);
            (result["id"], result["verified"]) = (breakpoint.Id, true);
        }
        catch (BpfException e)
        {
            (result["verified"], result["message"]) = (false, e.Message);
        }
        if (line is not null) (result["line"], result["source"]) = (line, new JsonObject { ["path"] = path, ["name"] = Path.GetFileName(path) });
        return result;
    }

    void SetExceptionBreakpoints(JsonObject a)
    {
        var filters = (a["filters"] as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToHashSet();
        (Session.StopOnTailCall, Session.StopOnHelperCall, Session.StopOnError) = (filters.Contains("tailcall"), filters.Contains("helper"), filters.Contains("error"));
    }

    static bool Instruction(JsonObject a) => a["granularity"]?.GetValue<string>() == "instruction";

    void Resume(JsonObject request, Func<DebugStop> step, JsonObject? body = null)
    {
        if (Session.Ended)
        {
            connection.Respond(request, body);
            Terminate();
            return;
        }
        connection.Respond(request, body);
        Go(step);
    }

    /// <summary>Runs to the next stop and tells the client: stopped, or the program's end (its r0 as output and exit
    /// code, then terminated). A run that ended with an error stops once more so its last state can be looked at.</summary>
    void Go(Func<DebugStop> step)
    {
        var stop = step();
        variables.Clear();
        if (stop.Reason == StopReason.Exited)
        {
            var r0 = stop.ReturnValue;
            connection.Event("output", new JsonObject { ["category"] = "console", ["output"] = $"{stop.Description}\n" });
            connection.Event("exited", new JsonObject { ["exitCode"] = (long)(uint)(r0 ?? 0) });
            Terminate();
            return;
        }
        var body = new JsonObject
        {
            ["reason"] = stop.Reason switch
            {
                StopReason.Breakpoint => "breakpoint",
                StopReason.Step => "step",
                StopReason.Entry => "entry",
                StopReason.Error => "exception",
                StopReason.TailCall => "tail call",
                _ => "helper call",
            },
            ["description"] = stop.Description,
            ["threadId"] = ThreadId,
            ["allThreadsStopped"] = true,
        };
        if (stop.Error is not null) body["text"] = stop.Error;
        if (stop.Breakpoint is { } hit) body["hitBreakpointIds"] = new JsonArray(hit.Id);
        connection.Event("stopped", body);
    }

    void Terminate()
    {
        if (terminated) return;
        terminated = true;
        connection.Event("terminated");
    }

    /// <summary>The frames innermost first; after a frame that a tail call put in place of another, a label frame
    /// names the replaced one (it returns to the caller below).</summary>
    JsonObject StackTrace()
    {
        var frames = new JsonArray();
        for (var i = 0; i < Session.Frames.Count; i++)
        {
            var frame = Session.Frames[i];
            var name = frame.Start switch
            {
                FrameStart.TailCall => $"{frame.Function} (tail call {frame.TailCall} of 33)",
                FrameStart.Callback => $"{frame.Function} (callback for {frame.Caller})",
                _ => frame.Function,
            };
            var json = new JsonObject { ["id"] = i + 1, ["name"] = name, ["line"] = frame.Line?.Line ?? 0, ["column"] = Math.Max(frame.Line?.Column ?? 1, 1) };
            if (frame.Line is { } line) json["source"] = new JsonObject { ["name"] = Path.GetFileName(line.File), ["path"] = SourcePath(line.File) };
            json["instructionPointerReference"] = $"{frame.Program}+{frame.Pc}";
            frames.Add(json);
            if (frame.Replaced is not null)
                frames.Add(new JsonObject
                {
                    ["id"] = DapVariables.LabelFrame + i, ["name"] = $"{frame.Replaced}: replaced by tail call {frame.TailCall}, its caller gets the r0",
                    ["line"] = 0, ["column"] = 0, ["presentationHint"] = "label",
                });
        }
        return new JsonObject { ["stackFrames"] = frames, ["totalFrames"] = frames.Count };
    }

    /// <summary>Where the source of a line is: as BTF names it, or beside the object (clang records the path it
    /// was given, often relative to where it ran).</summary>
    string SourcePath(string file)
    {
        foreach (var candidate in new[] { file, Path.Combine(objectDirectory, file), Path.Combine(objectDirectory, Path.GetFileName(file)) })
            if (Path.IsPathRooted(candidate) && File.Exists(candidate))
                return Path.GetFullPath(candidate);
        return Path.GetFullPath(Path.Combine(objectDirectory, Path.GetFileName(file)));
    }

    DebugFrame Frame(JsonObject a, string key)
    {
        var id = Int(a, key);
        if (id >= DapVariables.LabelFrame) return Session.Frames[id - DapVariables.LabelFrame];
        return id >= 1 && id <= Session.Frames.Count ? Session.Frames[id - 1] : throw new BpfException($"no frame {id}");
    }

    JsonObject Evaluate(JsonObject a)
    {
        var frame = a["frameId"] is null ? null : Frame(a, "frameId");
        var value = Session.Evaluate(Text(a, "expression"), frame);
        return new JsonObject { ["result"] = $"0x{value:x} ({value})", ["variablesReference"] = 0 };
    }

    JsonObject ReadMemory(JsonObject a)
    {
        var reference = Text(a, "memoryReference");
        if (!reference.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || !ulong.TryParse(reference.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var address))
            throw new BpfException($"memory reference '{reference}' is not an address (0x...)");
        address += (ulong)(a["offset"]?.GetValue<long>() ?? 0);
        var bytes = Session.ReadMemory(address, Int(a, "count"));
        return new JsonObject { ["address"] = $"0x{address:x}", ["data"] = Convert.ToBase64String(bytes) };
    }

    static string Text(JsonObject a, string key) => Optional(a, key) ?? throw new BpfException($"the request has no '{key}'");

    static string? Optional(JsonObject a, string key) => a[key]?.GetValue<string>();

    static int Int(JsonObject a, string key) => a[key]?.GetValue<int>() ?? throw new BpfException($"the request has no '{key}'");

    static string[] List(JsonObject a, string key) => (a[key] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToArray();
}
