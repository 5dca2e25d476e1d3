using System.Globalization;
using System.Text.Json;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp run OBJ PROGRAM</c>: loads a clang-built object, fills program arrays from its static
/// initialisers and <c>--tail-call</c>, sets globals, test-runs the program and reports what the kernel's
/// <c>bpftool prog run</c> would, plus trace_pipe output and the final map contents.</summary>
internal static class ObjectRun
{
    internal sealed record Options(string ObjectPath, string Program, string? Data, string? CtxIn, int Repeat,
        IReadOnlyList<string> TailCalls, IReadOnlyList<string> Globals, bool Json,
        ExecutionEngine Engine = ExecutionEngine.Interpreter, bool Verify = true, Func<ObjectSpec, LoadOptions>? Loader = null,
        IReadOnlyList<string>? Updates = null);

    public static int Run(Options o, TextWriter stdout)
    {
        var (obj, program, dataIn) = Prepare(o);
        using var owner = obj;
        var result = program.Run(RunOptions(o, dataIn));
        var trace = obj.TracePipe.Drain().Select(e => e.ToString()).ToList();
        if (o.Json) WriteJson(stdout, obj, program, result, trace);
        else WriteText(stdout, program, result, trace, dataIn);
        return 0;
    }

    /// <summary>Loads the object and readies the program as the options say: program-array slots, globals, data in.</summary>
    public static (BpfObject Object, BpfProgram Program, byte[]? Data) Prepare(Options o)
    {
        var spec = ObjectSpec.Read(o.ObjectPath);
        var obj = BpfObject.Load(spec, (o.Loader?.Invoke(spec) ?? new LoadOptions()) with { Verify = o.Verify });
        try
        {
            var program = obj.Programs.GetValueOrDefault(o.Program) ?? obj.FindBySection(o.Program)
                ?? throw new BpfException($"{o.ObjectPath} has no program '{o.Program}' (it has {string.Join(", ", obj.Programs.Keys)})");
            foreach (var tailCall in o.TailCalls) FillSlot(obj, tailCall);
            foreach (var global in o.Globals) SetGlobal(obj, global);
            foreach (var update in o.Updates ?? []) UpdateEntry(obj, update);
            return (obj, program, o.Data is null ? DefaultData(program.Type) : File.ReadAllBytes(o.Data));
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public static RunOptions RunOptions(Options o, byte[]? dataIn) => new()
    {
        Data = dataIn,
        Context = o.CtxIn is null ? null : File.ReadAllBytes(o.CtxIn),
        Repeat = o.Repeat,
        Engine = o.Engine,
    };

    /// <summary>Like bpftool's examples: a 64-byte zero frame for packet programs, nothing for the others.</summary>
    static byte[]? DefaultData(ProgramType type) => ProgramTypes.TakesPackets(type) ? new byte[64] : null;

    /// <summary>MAP:KEY=VALUE, both hex bytes, as bpftool's <c>map update ... key hex ... value hex ...</c>: how a
    /// device map gets its ifindexes or a hash its entries before the run.</summary>
    internal static void UpdateEntry(BpfObject obj, string text)
    {
        var (name, rest) = Split(text, ':', "--update MAP:KEYHEX=VALUEHEX");
        var (key, value) = Split(rest, '=', "--update MAP:KEYHEX=VALUEHEX");
        var map = obj.Maps.GetValueOrDefault(name) ?? throw new BpfException($"--update {text}: no map '{name}'");
        map.Update(Hex.Parse(key, "--update key"), Hex.Parse(value, "--update value"));
    }

    /// <summary>MAP:INDEX=PROGRAM.</summary>
    internal static void FillSlot(BpfObject obj, string text)
    {
        var (map, rest) = Split(text, ':', "--tail-call MAP:INDEX=PROGRAM");
        var (index, name) = Split(rest, '=', "--tail-call MAP:INDEX=PROGRAM");
        var array = obj.Maps.GetValueOrDefault(map) ?? throw new BpfException($"--tail-call {text}: no map '{map}'");
        var target = obj.Programs.GetValueOrDefault(name) ?? throw new BpfException($"--tail-call {text}: no program '{name}'");
        if (!int.TryParse(index, CultureInfo.InvariantCulture, out var slot))
            throw new BpfException($"--tail-call {text}: '{index}' is not an index");
        array.AsProgramArray()[slot] = target;
    }

    /// <summary>MAP:OFFSET=HEXBYTES; MAP is a global-data map's name or its section (.bss, .data, .rodata).</summary>
    internal static void SetGlobal(BpfObject obj, string text)
    {
        var (name, rest) = Split(text, ':', "--set-global MAP:OFFSET=HEXBYTES");
        var (offsetText, hex) = Split(rest, '=', "--set-global MAP:OFFSET=HEXBYTES");
        var map = obj.Maps.GetValueOrDefault(name)
            ?? (obj.Spec.Maps.FirstOrDefault(m => m.Section == name) is { } definition ? obj.Maps[definition.Name] : null)
            ?? throw new BpfException($"--set-global {text}: no map or section '{name}'");
        var offset = offsetText.StartsWith("0x", StringComparison.Ordinal)
            ? int.Parse(offsetText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : int.Parse(offsetText, CultureInfo.InvariantCulture);
        var bytes = Hex.Parse(hex, "--set-global bytes");
        var value = map.Lookup(new byte[4]) ?? throw new BpfException($"--set-global {text}: '{name}' has no value at key 0");
        if (offset < 0 || offset + bytes.Length > value.Length)
            throw new BpfException($"--set-global {text}: bytes {offset}..{offset + bytes.Length} are outside the {value.Length}-byte value");
        bytes.CopyTo(value, offset);
        map.Update(new byte[4], value);
    }

    static (string, string) Split(string text, char separator, string usage)
    {
        var i = text.LastIndexOf(separator);
        return i > 0 && i < text.Length - 1 ? (text[..i], text[(i + 1)..]) : throw new BpfException($"'{text}' is not {usage}");
    }

    static void WriteText(TextWriter stdout, BpfProgram program, RunResult result, List<string> trace, byte[]? dataIn)
    {
        stdout.WriteLine($"{program.Name}: return value {result.ReturnValue} (0x{result.ReturnValue:x}), {result.DurationNs} ns per run, {result.TailCalls} tail calls");
        if (result.DataOut.Length > 0 && !result.DataOut.AsSpan().SequenceEqual(dataIn))
            stdout.WriteLine($"data out: {Convert.ToHexStringLower(result.DataOut)}");
        foreach (var line in trace) stdout.WriteLine(line);
    }

    static void WriteJson(TextWriter stdout, BpfObject obj, BpfProgram program, RunResult result, List<string> trace)
    {
        JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("program", program.Name);
            json.WriteNumber("returnValue", result.ReturnValue);
            json.WriteNumber("durationNs", result.DurationNs);
            json.WriteNumber("tailCalls", result.TailCalls);
            json.WriteString("dataOut", Convert.ToHexStringLower(result.DataOut));
            json.WriteStartArray("trace");
            foreach (var line in trace) json.WriteStringValue(line);
            json.WriteEndArray();
            MapsJson.Write(json, obj);
            json.WriteEndObject();
        });
    }
}
