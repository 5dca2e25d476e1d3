using System.Text.Json;
using BpfSharp.Loading;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>The <c>"maps"</c> member of the commands' JSON output: every map whose elements are plain bytes, as
/// hex key/value pairs, entry by entry (a map of millions of entries streams out, see <see cref="JsonOutput"/>).</summary>
internal static class MapsJson
{
    public static void Write(Utf8JsonWriter json, BpfObject obj) => Write(json, obj.Maps.Select(m => (m.Key, m.Value)));

    /// <summary>The same for maps named by the caller (a chain lists each stage's maps as "stage/map").</summary>
    public static void Write(Utf8JsonWriter json, IEnumerable<(string Name, BpfMap Map)> maps)
    {
        json.WriteStartObject("maps");
        foreach (var (name, map) in maps.Where(m => Dumpable(m.Map.Type)))
        {
            json.WriteStartArray(name);
            foreach (var key in map.Keys)
            {
                json.WriteStartObject();
                json.WriteString("key", Convert.ToHexStringLower(key));
                json.WriteString("value", Convert.ToHexStringLower(map.Lookup(key) ?? []));
                json.WriteEndObject();
                JsonOutput.WriteOutPage(json);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>Whether a map has entries to list (program arrays, ring buffers, queues... do not).</summary>
    public static bool Dumpable(MapType type) => type is MapType.Array or MapType.Hash or MapType.LruHash or MapType.PercpuArray
        or MapType.PercpuHash or MapType.LruPercpuHash or MapType.LpmTrie;
}
