using BpfSharp.Btf;

namespace BpfSharp.Loading;

/// <summary>A global variable of an object: where its bytes live in a global-data map (<c>.data</c>, <c>.bss</c>,
/// <c>.rodata</c>...), from the object's BTF (the <c>DATASEC</c> that lists it).</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Section">The section holding it.</param>
/// <param name="Offset">Its offset in the section (and in the map's value).</param>
/// <param name="Size">Its size in bytes.</param>
internal sealed record GlobalVariable(string Name, string Section, uint Offset, uint Size)
{
    /// <summary>Finds a variable by name in an object's BTF; null when the object has no BTF or no such variable (an
    /// extern, <c>__kconfig</c> or <c>__ksym</c>, is none).</summary>
    public static GlobalVariable? Find(BtfGraph? btf, string name)
    {
        if (btf is null) return null;
        foreach (var section in btf.Types.OfType<BtfDataSection>())
            foreach (var variable in section.Variables)
                if (btf[variable.Type] is BtfVariable { IsExtern: false } v && v.Name == name)
                    return new GlobalVariable(name, section.Name, variable.Offset, variable.Size);
        return null;
    }
}
