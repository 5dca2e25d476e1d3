using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Maps;

namespace BpfSharp.Loading;

/// <summary>Reads maps from the legacy <c>SEC("maps")</c> section: one <c>struct bpf_map_def { type, key_size,
/// value_size, max_entries, map_flags }</c> (5 × u32, possibly followed by fields BpfSharp ignores) per symbol.</summary>
internal static class LegacyMapDefinitions
{
    public static List<MapDefinition> Read(ObjectFile file, ElfSection section)
    {
        var data = section.Data;
        var maps = new List<MapDefinition>();
        foreach (var symbol in file.SymbolsIn(section).Where(s => s.Type is ElfSymbolType.Object or ElfSymbolType.NoType && s.Name.Length > 0).OrderBy(s => s.Value))
        {
            if (symbol.Value + 20 > (ulong)data.Length)
                throw new ObjectFormatException($"legacy map '{symbol.Name}' at 0x{symbol.Value:x} is shorter than struct bpf_map_def (20 bytes)",
                    section.Name, section.FileOffset + (long)Math.Min(symbol.Value, (ulong)data.Length));
            var def = new uint[5];
            for (var i = 0; i < def.Length; i++)
                def[i] = BinaryPrimitives.ReadUInt32LittleEndian(data.Span[((int)symbol.Value + 4 * i)..]);
            var spec = new MapSpec(symbol.Name, (MapType)def[0], def[1], def[2], def[3], def[4]);
            maps.Add(new MapDefinition(spec, null, false, new Dictionary<uint, string>(), section.Name));
        }
        return maps;
    }
}
