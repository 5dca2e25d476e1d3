using BpfSharp.Cli.Kernel;
using System.Text.Json;

namespace BpfSharp.Tests.Kernel;

/// <summary>Map access through <c>bpf()</c> on the pinned maps: prog-array slots, updates, dumps, queues, global data.
/// Dumps and pops follow bpftool's <c>map dump</c> and <c>map pop</c>, whose output the recorded answers came from.</summary>
public sealed partial class KernelOracle
{
    const int ENOENT = 2;

    /// <summary>Describes a map by its pinned name or, for global data, by section (<c>.bss</c>, <c>.data</c>,
    /// <c>.rodata</c>).</summary>
    public KernelMapInfo MapInfo(string map)
    {
        var pin = MapPin(map);
        lock (mapInfo)
        {
            if (mapInfo.TryGetValue(pin, out var known)) return known;
            return mapInfo[pin] = KernelMapInfo.Of(Descriptor(Path.Combine(MapDirectory, pin)));
        }
    }

    /// <summary><c>progArray[index] = program</c>.</summary>
    public void SetProgramSlot(string progArray, uint index, string program) =>
        Check(BpfSyscall.MapUpdate(MapFd(progArray), BitConverter.GetBytes(index),
            BitConverter.GetBytes(Descriptor(ProgramPath(program)))), $"{progArray}[{index}] = {program}");

    /// <summary>Empties a prog-array slot; an empty slot stays empty.</summary>
    public void ClearProgramSlot(string progArray, uint index)
    {
        var result = BpfSyscall.MapDelete(MapFd(progArray), BitConverter.GetBytes(index));
        if (result != -ENOENT) Check(result, $"delete {progArray}[{index}]");
    }

    /// <summary><c>map[key] = value</c> with BPF_ANY.</summary>
    public void Update(string map, byte[] key, byte[] value) =>
        Check(BpfSyscall.MapUpdate(MapFd(map), key, value), $"update {map}");

    /// <summary><c>map[key] = value</c> with BPF_ANY: 0 or the negative errno.</summary>
    public int TryUpdate(string map, byte[] key, byte[] value) => BpfSyscall.MapUpdate(MapFd(map), key, value);

    /// <summary>Deletes <c>map[key]</c>.</summary>
    public void Delete(string map, byte[] key) => Check(BpfSyscall.MapDelete(MapFd(map), key), $"delete from {map}");

    /// <summary>Pushes a value onto a queue or stack (or into a bloom filter).</summary>
    public void Push(string map, byte[] value) => Check(BpfSyscall.MapUpdate(MapFd(map), null, value), $"push onto {map}");

    /// <summary>Pops a queue or stack until it is empty: the values in pop order (a queue oldest first, a stack
    /// top first). Destructive, like the only user-space read these maps have.</summary>
    public IReadOnlyList<byte[]> Drain(string map)
    {
        var info = MapInfo(map);
        var values = new List<byte[]>();
        while (values.Count <= info.MaxEntries)
        {
            var value = new byte[info.ValueSize];
            if (BpfSyscall.MapPop(MapFd(map), value) < 0) return values;   // ENOENT: empty
            values.Add(value);
        }
        throw new KernelOracleException($"{map} still pops after {values.Count} values");
    }

    /// <summary>Every element, sorted by key bytes (hash order is the kernel's business), as bpftool's <c>map dump</c>
    /// walks them: keys by BPF_MAP_GET_NEXT_KEY (a map that has no keys to walk, such as a ring buffer, queue, stack or
    /// bloom filter, dumps as empty), each looked up; a failed lookup is skipped in prog arrays and maps of maps (an
    /// empty slot) and shown as its error elsewhere (a perf event array's "Unknown error 524").</summary>
    public IReadOnlyList<KernelMapEntry> Dump(string map)
    {
        var info = MapInfo(map);
        var fd = MapFd(map);
        var cpus = info.IsPerCpu ? PossibleCpus.Value : 1;
        var stride = info.IsPerCpu ? (info.ValueSize + 7) / 8 * 8 : info.ValueSize;
        var entries = new List<KernelMapEntry>();
        byte[]? key = null;
        while (true)
        {
            var next = new byte[info.KeySize];
            if (BpfSyscall.MapGetNextKey(fd, key, next) < 0) break;
            key = next;
            var value = new byte[stride * cpus];
            var result = BpfSyscall.MapLookup(fd, key, value);
            if (result < 0)
            {
                if (!info.HoldsIds)
                    entries.Add(new KernelMapEntry(key, null, Error: System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-result)));
            }
            else if (info.IsPerCpu)
                entries.Add(new KernelMapEntry(key, null, Enumerable.Range(0, cpus).Select(c => value.AsSpan(c * stride, info.ValueSize).ToArray()).ToList()));
            else
                entries.Add(new KernelMapEntry(key, value));
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
    public static string MapNameOfId(uint id) => KernelMapInfo.NameOfId(id);

    string MapPath(string map) => Path.Combine(MapDirectory, MapPin(map));

    int MapFd(string map) => Descriptor(MapPath(map));

    /// <summary>The possible CPUs (<c>/sys/devices/system/cpu/possible</c>, e.g. <c>0-1</c>): how many values a
    /// per-CPU map's lookup gives.</summary>
    static readonly Lazy<int> PossibleCpus = new(() =>
        File.ReadAllText("/sys/devices/system/cpu/possible").Trim().Split(',').Sum(range =>
            range.Split('-') is [var first, var last] ? int.Parse(last) - int.Parse(first) + 1 : 1));

    static void Check(int result, string what)
    {
        if (result < 0)
            throw new KernelOracleException($"{what} failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-result)}");
    }

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
}
