using System.Text.Json;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Cli.Tracing;

/// <summary>A trace as one JSON object for tools: the result, every frame, and every entry in order (instructions with
/// their text, source and register changes; calls, returns, tail calls, failed tail calls, helper calls). Register
/// values are hex strings (64-bit values do not survive JSON numbers in most readers).</summary>
internal static class TraceJson
{
    public static void Write(TextWriter stdout, TraceRecorder trace, TraceText text, string program, string? error)
    {
        JsonOutput.Write(stdout, w =>
        {
            w.WriteStartObject();
            w.WriteString("program", program);
            if (trace.ReturnValue is { } r0)
            {
                w.WriteNumber("returnValue", (uint)r0);
                w.WriteString("r0", Hex(r0));
            }
            if (error is not null) w.WriteString("error", error);
            w.WriteNumber("instructions", trace.InstructionCount);
            w.WriteNumber("omittedInstructions", trace.OmittedInstructions);
            w.WriteBoolean("truncated", trace.Truncated);
            w.WriteStartArray("frames");
            foreach (var frame in trace.Frames) WriteFrame(w, frame, text);
            w.WriteEndArray();
            w.WriteStartArray("entries");
            foreach (var entry in trace.Entries) WriteEntry(w, entry, text);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static void WriteFrame(Utf8JsonWriter w, TraceFrame frame, TraceText text)
    {
        w.WriteStartObject();
        w.WriteNumber("id", frame.Id);
        w.WriteString("function", text.Name(frame));
        w.WriteString("program", frame.Program.Name);
        w.WriteNumber("depth", frame.Depth);
        w.WriteString("start", Camel(frame.Start.ToString()));
        if (frame.Caller is { } caller)
        {
            w.WriteNumber("caller", caller.Id);
            w.WriteNumber("callSite", frame.CallSite);
        }
        if (frame.Replaced is { } replaced) w.WriteNumber("replaces", replaced.Id);
        if (frame.ReplacedBy is { } by) w.WriteNumber("replacedBy", by.Id);
        w.WriteNumber("firstStep", frame.FirstStep);
        w.WriteNumber("lastStep", frame.LastStep);
        w.WriteString("end", Camel(frame.End.ToString()));
        if (frame.End == FrameEnd.Returned) w.WriteString("returnValue", Hex(frame.ReturnValue));
        w.WriteNumber("stackBytes", frame.StackBytes);
        w.WriteEndObject();
    }

    static void WriteEntry(Utf8JsonWriter w, TraceEntry entry, TraceText text)
    {
        w.WriteStartObject();
        w.WriteNumber("step", entry.Step);
        w.WriteNumber("frame", entry.Frame.Id);
        switch (entry)
        {
            case InstructionEntry step:
                w.WriteString("kind", "instruction");
                w.WriteNumber("pc", step.Pc);
                w.WriteString("text", text.Disassembly(step));
                if (text.RunsAs(step) is { } runsAs) w.WriteString("runsAs", runsAs);
                if (text.Symbols.Line(step.Frame.Program, step.Pc) is { } line) SourceJson.Write(w, line);
                w.WriteStartArray("changes");
                foreach (var change in step.Changes)
                {
                    w.WriteStartObject();
                    w.WriteString("register", $"r{(int)change.Register}");
                    w.WriteString("before", Hex(change.Before));
                    w.WriteString("after", Hex(change.After));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case OmittedEntry omitted:
                w.WriteString("kind", "omitted");
                w.WriteNumber("count", omitted.Count);
                break;
            case CallEntry call:
                w.WriteString("kind", call.Callee.Start == FrameStart.Callback ? "callback" : "call");
                w.WriteNumber("callee", call.Callee.Id);
                break;
            case ReturnEntry exit:
                w.WriteString("kind", "return");
                w.WriteString("value", Hex(exit.Value));
                if (exit.Frame.Caller is { } to) w.WriteNumber("to", to.Id);
                break;
            case TailCallEntry tailCall:
                w.WriteString("kind", "tailCall");
                w.WriteNumber("target", tailCall.Target.Id);
                w.WriteString("map", text.Array(tailCall.Map));
                w.WriteNumber("index", tailCall.Index);
                w.WriteNumber("count", tailCall.Count);
                break;
            case TailCallMissEntry miss:
                w.WriteString("kind", "tailCallMiss");
                w.WriteString("map", text.Array(miss.Map));
                w.WriteNumber("index", miss.Index);
                w.WriteString("reason", Camel(miss.Reason.ToString()));
                w.WriteNumber("count", miss.Count);
                break;
            case HelperCallEntry helper:
                w.WriteString("kind", "helperCall");
                w.WriteNumber("id", helper.Id);
                w.WriteString("name", text.Symbols.Helper(helper.Id));
                w.WriteStartArray("arguments");
                foreach (var argument in helper.Arguments.Take(text.Symbols.ArgumentCount(helper.Id))) w.WriteStringValue(Hex(argument));
                w.WriteEndArray();
                break;
            case HelperReturnEntry done:
                w.WriteString("kind", "helperReturn");
                w.WriteNumber("id", done.Id);
                w.WriteString("value", Hex(done.Value));
                break;
        }
        w.WriteEndObject();
    }

    static string Hex(ulong value) => $"0x{value:x}";

    static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
