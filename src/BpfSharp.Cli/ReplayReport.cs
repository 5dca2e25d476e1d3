using System.Globalization;
using System.Text.Json;
using BpfSharp.Cli.Commands;
using BpfSharp.Events;
using BpfSharp.Loading;
using BpfSharp.Maps;
using Spectre.Console;

namespace BpfSharp.Cli;

/// <summary>What <c>pcap</c> and <c>chain</c> print after a replay: the verdicts, the rate, how many programs each
/// packet went through, what was written, and the maps as the last packet left them.</summary>
internal static class ReplayReport
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void WriteText(IAnsiConsole console, BpfProgram program, string capture, ReplaySummary summary, string? output,
        IEnumerable<(string Name, BpfMap Map)> maps)
    {
        Line(console, $"{program.Name} ({program.Type}) over {Path.GetFileName(capture)}: {N(summary.Packets)} packets, " +
            $"{N(summary.Bytes)} bytes in {summary.Elapsed.TotalSeconds.ToString("F3", Invariant)} s: {N((long)summary.PacketsPerSecond)} packets/s");
        var table = new Table().AddColumns("verdict", "return value", "packets", "bytes");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var v in summary.Verdicts)
            table.AddRow(Markup.Escape(v.Name), v.Name is "accepted" ? "> 0" : v.ReturnValue.ToString(Invariant), N(v.Packets), N(v.Bytes));
        if (summary.NotRun > 0) table.AddRow("not run", "", N(summary.NotRun), "");
        console.Write(table);
        if (summary.FirstRefusal is { } refusal)
            Line(console, $"{N(summary.NotRun)} packets were not run, the first: {refusal}");
        if (summary.AcceptedBytes is { } accepted)
            Line(console, $"the socket filter kept {N(accepted)} bytes (counted from the network header)");
        var depths = summary.ProgramsPerPacket.Select((packets, tailCalls) => (packets, programs: tailCalls + 1)).Where(d => d.packets > 0);
        Line(console, "programs per packet: " + string.Join(", ", depths.Select(d => $"{d.programs}: {N(d.packets)}")));
        if (output is not null)
        {
            Line(console, $"wrote {N(summary.Written - summary.Redirected.Sum(r => r.Packets))} packets to {output}");
            foreach (var r in summary.Redirected)
                Line(console, $"wrote {N(r.Packets)} packets redirected to {r.Target} to {r.Path}");
        }
        MapTables.WriteText(console, maps);
    }

    public static void WriteJson(TextWriter stdout, BpfProgram program, string capture, ReplaySummary summary, string? output,
        IEnumerable<(string Name, BpfMap Map)> maps)
    {
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("program", program.Name);
            json.WriteString("type", program.Type.ToString());
            json.WriteString("capture", capture);
            json.WriteNumber("packets", summary.Packets);
            json.WriteNumber("bytes", summary.Bytes);
            json.WriteNumber("seconds", summary.Elapsed.TotalSeconds);
            json.WriteNumber("packetsPerSecond", Math.Round(summary.PacketsPerSecond));
            json.WriteStartArray("verdicts");
            foreach (var v in summary.Verdicts)
            {
                json.WriteStartObject();
                json.WriteString("verdict", v.Name);
                json.WriteNumber("returnValue", v.ReturnValue);
                json.WriteNumber("packets", v.Packets);
                json.WriteNumber("bytes", v.Bytes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("notRun", summary.NotRun);
            if (summary.FirstRefusal is { } refusal) json.WriteString("firstRefusal", refusal);
            if (summary.AcceptedBytes is { } accepted) json.WriteNumber("acceptedBytes", accepted);
            json.WriteStartObject("programsPerPacket");
            for (var tailCalls = 0; tailCalls < summary.ProgramsPerPacket.Count; tailCalls++)
                if (summary.ProgramsPerPacket[tailCalls] > 0) json.WriteNumber((tailCalls + 1).ToString(Invariant), summary.ProgramsPerPacket[tailCalls]);
            json.WriteEndObject();
            if (output is not null)
            {
                json.WriteString("output", output);
                json.WriteNumber("written", summary.Written);
                json.WriteStartArray("redirected");
                foreach (var r in summary.Redirected)
                {
                    json.WriteStartObject();
                    json.WriteString("target", r.Target.ToString());
                    if (r.Target.Map is { } map) json.WriteString("map", map);
                    if (r.Target.Cpu is { } cpu) json.WriteNumber("cpu", cpu);
                    else if (!r.Target.Broadcast) json.WriteNumber("ifindex", r.Target.Ifindex);
                    json.WriteString("output", r.Path);
                    json.WriteNumber("packets", r.Packets);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            MapsJson.Write(json, maps);
            json.WriteEndObject();
        });
    }

    static string N(long value) => value.ToString("N0", Invariant);

    /// <summary>A line of text as it is: Spectre would wrap it at the console's width, breaking long numbers and hex
    /// for whoever reads the output.</summary>
    public static void Line(IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);
}
