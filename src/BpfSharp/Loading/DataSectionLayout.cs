using BpfSharp.Btf;
using BpfSharp.Elf;
using BpfSharp.Loading.Externs;

namespace BpfSharp.Loading;

/// <summary>libbpf's <c>btf_fixup_datasec</c>: clang leaves the size of a <c>DATASEC</c> and the offsets of its
/// variables 0 in an object file (the static linker fills them in), so an object with two globals in <c>.bss</c>
/// describes both at offset 0. Where a DATASEC's size is 0, its size is taken from the ELF section and each
/// variable's offset from its ELF symbol, and the variables are put in offset order. The extern sections
/// (<c>.kconfig</c>, <c>.ksyms</c>) are laid out by the loader, not here.</summary>
internal static class DataSectionLayout
{
    public static BtfGraph Apply(ObjectFile file, BtfGraph btf)
    {
        List<BtfType>? types = null;
        foreach (var datasec in btf.Types.OfType<BtfDataSection>())
        {
            if (datasec.Size != 0 || datasec.Name is KconfigMap.Section or ".ksyms" || file.FindSection(datasec.Name) is not { } section)
                continue;
            var symbols = file.SymbolsIn(section).Where(s => s.Type == ElfSymbolType.Object).ToList();
            var variables = datasec.Variables.Select(variable =>
            {
                var name = btf[variable.Type].Name;
                var symbol = symbols.FirstOrDefault(s => s.Name == name);
                if (symbol.Name is null) return variable;
                if (symbol.Value + variable.Size > (ulong)section.Size)
                    throw new ObjectFormatException($"global variable '{name}' ({variable.Size} bytes at {symbol.Value}) lies past the end of its " +
                        $"section ({section.Size} bytes)", section.Name);
                return variable with { Offset = (uint)symbol.Value };
            }).OrderBy(v => v.Offset).ToList();
            types ??= [.. btf.Types];
            types[datasec.Id] = datasec with { Size = (uint)section.Size, Variables = variables };
        }
        return types is null ? btf : new BtfGraph(types, btf.Strings);
    }
}
