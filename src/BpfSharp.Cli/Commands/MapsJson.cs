using System.Text.Json;
using BpfSharp.Loading;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>The <c>"maps"</c> member of the commands' JSON output: every map whose elements are plain bytes, as
/// hex key/value pairs.</summary>
internal static class MapsJson
{
    public static void Write(Utf8JsonWriter json, BpfObject obj)
    {
        json.WriteStartObject("maps");
        foreach (var (name, map) in obj.Maps.Where(m => Dumpable(m.Value.Type)))
        {
            json.WriteStartArray(name);
            foreach (var key in map.Keys)
            {
                json.WriteStartObject();
                json.WriteString("key", Convert.ToHexStringLower(key));
                json.WriteString("value", Convert.ToHexStringLower(map.Lookup(key) ?? []));
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    static bool Dumpable(MapType type) => type is MapType.Array or MapType.Hash or MapType.LruHash or MapType.PercpuArray
        or MapType.PercpuHash or MapType.LruPercpuHash or MapType.LpmTrie;
}
