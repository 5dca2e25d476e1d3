using BpfSharp.Btf;

namespace BpfSharp.Loading;

/// <summary>A global variable of an object: where its bytes live in a global-data map (<c>.data</c>, <c>.bss</c>,
/// <c>.rodata</c>...), from the object's BTF (the <c>DATASEC</c> that lists it).</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Section">The section holding it.</param>
/// <param name="Offset">Its offset in the section (and in the map's value).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Type">Its BTF type (what the <c>VAR</c> names).</param>
internal sealed record GlobalVariable(string Name, string Section, uint Offset, uint Size, int Type)
{
    /// <summary>Finds a variable by name in an object's BTF; null when the object has no BTF or no such variable (an
    /// extern, <c>__kconfig</c> or <c>__ksym</c>, is none).</summary>
    public static GlobalVariable? Find(BtfGraph? btf, string name) => All(btf).FirstOrDefault(v => v.Name == name);

    /// <summary>Every variable with bytes in the object's global-data sections, in section and BTF order.</summary>
    public static IEnumerable<GlobalVariable> All(BtfGraph? btf)
    {
        if (btf is null) yield break;
        foreach (var section in btf.Types.OfType<BtfDataSection>().Where(s => GlobalDataMaps.IsGlobalData(s.Name)))
            foreach (var variable in section.Variables)
                if (btf[variable.Type] is BtfVariable { IsExtern: false } v)
                    yield return new GlobalVariable(v.Name, section.Name, variable.Offset, variable.Size, v.Type);
    }
}
