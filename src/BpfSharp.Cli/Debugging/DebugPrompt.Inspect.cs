using System.Buffers.Binary;
using System.Globalization;
using BpfSharp.Debugging;
using BpfSharp.Isa;

namespace BpfSharp.Cli.Debugging;

/// <summary>The prompt's commands that look at a stopped run and change it.</summary>
internal sealed partial class DebugPrompt
{
    void Info(string what)
    {
        switch (what)
        {
            case "frames" or "frame": Backtrace(); break;
            case "r" or "reg" or "registers":
                foreach (var r in session.Registers(RequireFrame()))
                    output.WriteLine($"{r.Name,-4}{r.Value,-40}{(r.Type.Length > 0 ? $"verifier: {r.Type}" : "")}".TrimEnd());
                break;
            case "args": Values(session.Arguments(RequireFrame()), "no arguments known (BTF names them)"); break;
            case "stack" or "locals": Values(session.Stack(RequireFrame()), "no stack"); break;
            case "globals": Values(session.Globals(), "no global variables"); break;
            case "regions": RequireFrame(); Values(session.Regions(), "no memory besides the stack"); break;
            case "maps":
                foreach (var map in session.Object.Maps.Values) output.WriteLine($"{map.Name,-20}{map.Type,-16}key {map.KeySize}, value {map.ValueSize}, max {map.MaxEntries}");
                break;
            case "b" or "breakpoints":
                if (session.Breakpoints.Count == 0) output.WriteLine("no breakpoints");
                foreach (var b in session.Breakpoints) output.WriteLine($"{b.Id,-4}{b,-30}hit {b.Hits} time{(b.Hits == 1 ? "" : "s")}");
                break;
            default: throw new BpfException("info frames, registers, args, stack, globals, maps, regions or breakpoints");
        }
    }

    void Values(IReadOnlyList<DebugValue> values, string none, int indent = 0)
    {
        if (values.Count == 0 && indent == 0) output.WriteLine(none);
        foreach (var v in values)
        {
            output.WriteLine($"{new string(' ', indent)}{v.Name} = {v.Value}{(v.Type.Length > 0 ? $"  ({v.Type})" : "")}");
            Values(v.Children, none, indent + 2);
        }
    }

    void Print(string text, string format)
    {
        var value = session.Evaluate(text, RequireFrame());
        output.WriteLine(format == "x" ? $"{text} = 0x{value:x}" : format == "d" ? $"{text} = {(long)value}" : $"{text} = 0x{value:x} ({value})");
    }

    /// <summary><c>x/8xb r10-16</c>: count, format (x hex, d decimal), unit (b h w g: 1, 2, 4, 8 bytes).</summary>
    void Examine(string text, string format)
    {
        var digits = new string(format.TakeWhile(char.IsDigit).ToArray());
        var count = digits.Length > 0 ? int.Parse(digits, CultureInfo.InvariantCulture) : 1;
        var letters = format[digits.Length..];
        var size = letters.Contains('g') ? 8 : letters.Contains('w') ? 4 : letters.Contains('h') ? 2 : 1;
        var decimalFormat = letters.Contains('d');
        if (count is < 1 or > 4096) throw new BpfException($"x/{format}: 1 to 4096 units");
        var address = session.Evaluate(text, RequireFrame());
        var bytes = session.ReadMemory(address, count * size);
        var perLine = 16 / size;
        for (var i = 0; i < count; i += perLine)
        {
            var units = Enumerable.Range(i, Math.Min(perLine, count - i)).Select(k =>
            {
                var unit = bytes.AsSpan(k * size, size);
                var value = size switch
                {
                    1 => unit[0],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(unit),
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(unit),
                    _ => BinaryPrimitives.ReadUInt64LittleEndian(unit),
                };
                return decimalFormat ? value.ToString(CultureInfo.InvariantCulture) : "0x" + value.ToString($"x{size * 2}", CultureInfo.InvariantCulture);
            });
            output.WriteLine($"0x{address + (ulong)(i * size):x}:  {string.Join(" ", units)}");
        }
    }

    /// <summary><c>set r0 = 0xbeef</c> (also <c>set var r0 = ...</c>).</summary>
    void Set(string text)
    {
        if (text.StartsWith("var ", StringComparison.Ordinal)) text = text[4..];
        var equals = text.IndexOf('=');
        var name = equals > 0 ? text[..equals].Trim() : "";
        if (name.Length is not (2 or 3) || name[0] != 'r' || !int.TryParse(name.AsSpan(1), CultureInfo.InvariantCulture, out var register))
            throw new BpfException("set rN = EXPR: only registers r0-r9 of the innermost frame can be changed (maps: 'map update')");
        if (selected != 0) throw new BpfException("registers can be changed in frame 0 only (the others are saved copies)");
        var value = session.Evaluate(text[(equals + 1)..].Trim(), RequireFrame());
        session.SetRegister(register, value);
        output.WriteLine($"{name} = 0x{value:x} ({value})");
    }

    void Map(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["dump", var name]:
                var entries = session.MapEntries(name);
                if (entries.Count == 0) output.WriteLine($"{name} is empty");
                foreach (var e in entries) output.WriteLine($"{e.Name}: {e.Value}");
                break;
            case ["update", var name, var key, var value]:
                Named(name).Update(Hex.Parse(key, "map update key"), Hex.Parse(value, "map update value"));
                output.WriteLine($"{name}[{key}] = {value}");
                break;
            case ["delete", var name, var key]:
                output.WriteLine(Named(name).Delete(Hex.Parse(key, "map delete key")) ? $"deleted {name}[{key}]" : $"{name} has no key {key}");
                break;
            default: throw new BpfException("map dump NAME, map update NAME KEYHEX VALUEHEX or map delete NAME KEYHEX");
        }

        BpfMap Named(string name) => session.Object.Maps.GetValueOrDefault(name)
            ?? throw new BpfException($"no map '{name}' (there are {string.Join(", ", session.Object.Maps.Keys)})");
    }

    /// <summary>The source around the frame's line: from the file when it can be found (as the object names it, or
    /// beside the object), else the lines BTF carries.</summary>
    void List()
    {
        var frame = RequireFrame();
        if (frame.Line is not { } line) throw new BpfException($"{frame.Function} has no line info (compile with -g)");
        var path = new[] { line.File, Path.Combine(objectDirectory ?? ".", line.File), Path.Combine(objectDirectory ?? ".", Path.GetFileName(line.File)) }
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            output.WriteLine($"{line.Line}\t{line.Text.Trim()}");
            return;
        }
        var lines = File.ReadAllLines(path);
        for (var n = Math.Max(1, line.Line - 5); n <= Math.Min(lines.Length, line.Line + 5); n++)
            output.WriteLine($"{(n == line.Line ? "=>" : "  ")}{n,4}\t{lines[n - 1]}");
    }

    void Disassemble()
    {
        var frame = RequireFrame();
        var program = session.Object.Programs.Values.First(p => p.Name == frame.Program);
        var function = program.Spec.FunctionOf(frame.Pc);
        output.WriteLine($"{function.Name}:");
        var code = program.Spec.AsWritten;
        for (var pc = function.Start; pc < function.Start + function.Length; pc += code[pc].Opcode == Opcode.Lddw ? 2 : 1)
            output.WriteLine($"{(pc == frame.Pc ? "=>" : "  ")}{pc,5}: {Disassembler.FormatInstruction(code, pc)}");
    }
}
