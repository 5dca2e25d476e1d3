using System.Text.Json;

namespace BpfSharp.Tests.Kernel;

/// <summary>Map access through bpftool: prog-array slots, updates, dumps, queues, global data.</summary>
public sealed partial class KernelOracle
{
    /// <summary>Describes a map by its pinned name or, for global data, by section (<c>.bss</c>, <c>.data</c>,
    /// <c>.rodata</c>).</summary>
    public KernelMapInfo MapInfo(string map)
    {
        var pin = MapPin(map);
        lock (mapInfo)
        {
            if (mapInfo.TryGetValue(pin, out var known)) return known;
            var j = Bpftool.Json("map", "show", "pinned", Path.Combine(MapDirectory, pin));
            return mapInfo[pin] = new KernelMapInfo(j.GetProperty("id").GetUInt32(), j.GetProperty("name").GetString()!,
                j.GetProperty("type").GetString()!, j.GetProperty("bytes_key").GetInt32(), j.GetProperty("bytes_value").GetInt32(),
                j.GetProperty("max_entries").GetInt32());
        }
    }

    /// <summary><c>progArray[index] = program</c> (<c>bpftool map update … value pinned PROG</c>).</summary>
    public void SetProgramSlot(string progArray, uint index, string program) =>
        Bpftool.Check(["map", "update", "pinned", MapPath(progArray), "key", .. Hex(BitConverter.GetBytes(index)),
            "value", "pinned", ProgramPath(program)]);

    /// <summary>Empties a prog-array slot; an empty slot stays empty.</summary>
    public void ClearProgramSlot(string progArray, uint index)
    {
        string[] args = ["map", "delete", "pinned", MapPath(progArray), "key", .. Hex(BitConverter.GetBytes(index))];
        var run = Bpftool.Try(args);
        if (run.ExitCode != 0 && !run.Stderr.Contains("No such file or directory")) Bpftool.Checked(run, args);
    }

    /// <summary><c>map[key] = value</c> with BPF_ANY.</summary>
    public void Update(string map, byte[] key, byte[] value) =>
        Bpftool.Check(["map", "update", "pinned", MapPath(map), "key", .. Hex(key), "value", .. Hex(value)]);

    /// <summary>Deletes <c>map[key]</c>.</summary>
    public void Delete(string map, byte[] key) => Bpftool.Check(["map", "delete", "pinned", MapPath(map), "key", .. Hex(key)]);

    /// <summary>Pushes a value onto a queue or stack (or into a bloom filter).</summary>
    public void Push(string map, byte[] value) => Bpftool.Check(["map", "push", "pinned", MapPath(map), "value", .. Hex(value)]);

    /// <summary>Pops a queue or stack until it is empty: the values in pop order (a queue oldest first, a stack
    /// top first). Destructive, like the only user-space read these maps have.</summary>
    public IReadOnlyList<byte[]> Drain(string map)
    {
        var values = new List<byte[]>();
        for (var limit = MapInfo(map).MaxEntries; values.Count <= limit;)
        {
            var run = Bpftool.Try("-j", "map", "pop", "pinned", MapPath(map));
            if (run.ExitCode != 0) return values;  // bpftool: "Error: empty map"
            using var doc = JsonDocument.Parse(run.Stdout);
            values.Add(Bytes(doc.RootElement.GetProperty("value")));
        }
        throw new KernelOracleException($"{map} still pops after {values.Count} values");
    }

    /// <summary>Every element, sorted by key bytes (hash order is the kernel's business). Ring buffers, queues,
    /// stacks and bloom filters dump as empty.</summary>
    public IReadOnlyList<KernelMapEntry> Dump(string map)
    {
        var entries = new List<KernelMapEntry>();
        foreach (var e in Bpftool.Json("map", "dump", "pinned", MapPath(map)).EnumerateArray())
        {
            var key = Bytes(e.GetProperty("key"));
            if (e.TryGetProperty("values", out var perCpu))
                entries.Add(new KernelMapEntry(key, null, perCpu.EnumerateArray().OrderBy(c => c.GetProperty("cpu").GetInt32())
                    .Select(c => Bytes(c.GetProperty("value"))).ToList()));
            else if (e.GetProperty("value") is { ValueKind: JsonValueKind.Object } failed)
                entries.Add(new KernelMapEntry(key, null, Error: failed.GetProperty("error").GetString()));
            else
                entries.Add(new KernelMapEntry(key, Bytes(e.GetProperty("value"))));
        }
        entries.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return entries;
    }

    /// <summary>The whole value of a global data section's 1-entry array (<c>.bss</c>, <c>.data</c>, <c>.rodata</c>).</summary>
    public byte[] ReadGlobals(string section) =>
        Dump(section).Single().Value ?? throw new KernelOracleException($"{section} has no value");

    /// <summary>Replaces a global data section's contents (<c>.rodata</c> is frozen: the kernel refuses).</summary>
    public void WriteGlobals(string section, byte[] value) => Update(section, new byte[4], value);

    /// <summary>Overwrites <paramref name="bytes"/> at <paramref name="offset"/> in a global data section.</summary>
    public void WriteGlobal(string section, int offset, byte[] bytes)
    {
        var value = ReadGlobals(section);
        bytes.CopyTo(value, offset);
        WriteGlobals(section, value);
    }

    /// <summary>A global variable as bpftool formats it from BTF (a number, or an array for arrays), searched in
    /// every data section the object has.</summary>
    public JsonElement Global(string variable)
    {
        foreach (var pin in Maps.Where(m => MapInfo(m).Name.Contains('.')))
            foreach (var e in Bpftool.Json("map", "dump", "pinned", MapPath(pin)).EnumerateArray())
                if (e.TryGetProperty("formatted", out var f))
                    foreach (var section in f.GetProperty("value").EnumerateObject())
                        foreach (var v in section.Value.EnumerateArray())
                            if (v.TryGetProperty(variable, out var value)) return value;
        throw new KernelOracleException($"no global '{variable}' in {Path.GetFileName(ObjectPath)}");
    }

    /// <summary>The name of a map by kernel id (how map-in-map values hold maps).</summary>
    public static string MapNameOfId(uint id) => Bpftool.Json("map", "show", "id", id.ToString()).GetProperty("name").GetString()!;

    string MapPath(string map) => Path.Combine(MapDirectory, MapPin(map));

    /// <summary>Pinned name for a map name or a global data section: libbpf calls the maps "&lt;up to 8 characters of
    /// the object name&gt;.bss" and bpftool pins them with '.' turned into '_', so the section is what follows the
    /// first '.' of the kernel's name.</summary>
    string MapPin(string map)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Maps.Contains(map)) return map;
        if (map.StartsWith('.'))
            foreach (var pin in Maps.Where(p => p.Contains('_')))
            {
                var name = MapInfo(pin).Name;
                if (name.IndexOf('.') is var dot and > 0 && name[dot..] == map) return pin;
            }
        throw new KernelOracleException($"no map '{map}' in {Path.GetFileName(ObjectPath)} (has {string.Join(", ", Maps)})");
    }

    /// <summary>bpftool's byte syntax: <c>hex 2a 00 00 00</c>.</summary>
    static IEnumerable<string> Hex(byte[] bytes) => bytes.Length == 0 ? [] : ["hex", .. bytes.Select(b => b.ToString("x2"))];

    /// <summary>bpftool's JSON bytes: <c>["0x2a","0x00"]</c>.</summary>
    static byte[] Bytes(JsonElement hexArray) =>
        hexArray.EnumerateArray().Select(h => Convert.ToByte(h.GetString(), 16)).ToArray();
}
