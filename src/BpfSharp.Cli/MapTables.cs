using System.Buffers.Binary;
using System.Globalization;
using BpfSharp.Maps;
using Spectre.Console;

namespace BpfSharp.Cli;

/// <summary>Maps as the report commands print them on a console: a table each, keys and values in hex, the first few
/// entries (<see cref="Commands.MapsJson"/> gives every one), counters spelled out (a value of 8-byte words as decimal
/// numbers, per-CPU values summed).</summary>
internal static class MapTables
{
    const int TextEntries = 16;

    /// <summary>One table per dumpable map, its first entries.</summary>
    public static void WriteText(IAnsiConsole console, IEnumerable<(string Name, BpfMap Map)> maps)
    {
        foreach (var (name, map) in maps.Where(m => Commands.MapsJson.Dumpable(m.Map.Type)))
        {
            var keys = map.Keys.ToList();
            var title = $"{name} ({map.Type}, {keys.Count} {(keys.Count == 1 ? "entry" : "entries")})";
            var words = map.ValueSize % 8 == 0;
            var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumns("key", "value");
            if (words) table.AddColumn(map.Slots > 1 && IsPerCpu(map.Type) ? $"u64 (sum of {map.Slots} slots)" : "u64");
            foreach (var key in keys.Take(TextEntries))
            {
                var value = map.Lookup(key) ?? [];
                string[] row = [Convert.ToHexStringLower(key), Convert.ToHexStringLower(value)];
                table.AddRow(words ? [.. row, Words(map, value)] : row);
            }
            if (keys.Count > TextEntries) table.AddRow($"… {keys.Count - TextEntries} more (--json lists every entry)");
            console.Write(table);
        }
    }

    /// <summary>The value as 8-byte little-endian words, per-CPU slots added up.</summary>
    static string Words(BpfMap map, byte[] value)
    {
        var words = new ulong[map.ValueSize / 8];
        var stride = IsPerCpu(map.Type) ? (int)map.ValueSize : value.Length;
        for (var slot = 0; slot + stride <= value.Length; slot += stride)
            for (var w = 0; w < words.Length; w++)
                words[w] += BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(slot + 8 * w));
        return string.Join(", ", words.Select(w => w.ToString(CultureInfo.InvariantCulture)));
    }

    static bool IsPerCpu(MapType type) => type is MapType.PercpuArray or MapType.PercpuHash or MapType.LruPercpuHash;
}
