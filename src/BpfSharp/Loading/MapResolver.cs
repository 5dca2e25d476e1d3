using BpfSharp.Elf;

namespace BpfSharp.Loading;

/// <summary>Says what map an R_BPF_64_64 relocation names: a map variable in <c>.maps</c>/<c>maps</c> (by symbol, or by
/// offset for a section symbol) or a global variable (the internal map of its section, plus the offset).</summary>
internal sealed class MapResolver(ObjectFile file, string objectName, IReadOnlyList<MapDefinition> maps)
{
    public ProgramLinker.MapReferenceTarget? Resolve(ElfSection section, ElfSymbol symbol, uint addend)
    {
        if (section.Name is ".maps" or "maps")
        {
            var offset = symbol.Value + (symbol.Type == ElfSymbolType.Section ? addend : 0);
            var variable = file.SymbolsIn(section).FirstOrDefault(s => s.Type is ElfSymbolType.Object or ElfSymbolType.NoType
                && s.Name.Length > 0 && s.Value == offset);
            if (variable.Name is null || maps.All(m => m.Name != variable.Name)) return null;
            return new ProgramLinker.MapReferenceTarget(variable.Name, 0, false);
        }
        if (GlobalDataMaps.IsGlobalData(section.Name))
            return new ProgramLinker.MapReferenceTarget(GlobalDataMaps.InternalName(objectName, section.Name), (uint)symbol.Value + addend, true);
        return null;
    }
}
