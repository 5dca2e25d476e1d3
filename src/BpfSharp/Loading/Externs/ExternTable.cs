using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Loading.Externs;

/// <summary>An object's externs, collected as libbpf's <c>bpf_object__collect_externs</c> does: undefined global or
/// weak symbols without a type, described by an extern VAR or FUNC of the object's BTF that a <c>.kconfig</c> or
/// <c>.ksyms</c> DATASEC lists. The <c>__kconfig</c> ones are laid out in the <c>.kconfig</c> map's value, most
/// aligned first, then smallest, then by name. Externs the BTF does not describe are left out; a program that
/// refers to one cannot be linked.</summary>
internal sealed class ExternTable
{
    readonly Dictionary<string, Extern> byName;
    readonly Dictionary<string, int> index;

    ExternTable(string kconfigMapName, IReadOnlyList<KconfigExtern> kconfig, IEnumerable<KernelSymbolExtern> kernelSymbols)
    {
        KconfigMapName = kconfigMapName;
        Kconfig = kconfig;
        KconfigSize = kconfig.Count == 0 ? 0 : kconfig[^1].Offset + kconfig[^1].Size;
        var ordered = kconfig.Concat<Extern>(kernelSymbols.OrderBy(k => k.Name, StringComparer.Ordinal)).ToList();
        byName = ordered.ToDictionary(e => e.Name, StringComparer.Ordinal);
        index = ordered.Select((e, i) => (e.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>Where libbpf keeps this extern in its sorted list (<c>cmp_externs</c>: the <c>__kconfig</c> ones first,
    /// then the <c>__ksym</c> ones by name): the number a poisoned kfunc call carries.</summary>
    public int IndexOf(Extern e) => index[e.Name];

    /// <summary>The name the object's <c>.kconfig</c> map gets (e.g. <c>kconfig.kconfig</c>).</summary>
    public string KconfigMapName { get; }

    /// <summary>The <c>__kconfig</c> externs in layout order, with their offsets.</summary>
    public IReadOnlyList<KconfigExtern> Kconfig { get; }

    /// <summary>The <c>.kconfig</c> map's value size: the end of the last extern (0 when there is none).</summary>
    public uint KconfigSize { get; }

    /// <summary>The extern with this symbol name, or null.</summary>
    public Extern? Find(string name) => byName.GetValueOrDefault(name);

    public static ExternTable Read(ObjectFile file, BtfGraph? btf, string objectName)
    {
        var mapName = GlobalDataMaps.InternalName(objectName, KconfigMap.Section);
        if (btf is null) return new ExternTable(mapName, [], []);
        var sections = new Dictionary<int, string>();
        foreach (var section in btf.Types.OfType<BtfDataSection>().Where(s => s.Name is KconfigMap.Section or ".ksyms"))
            foreach (var variable in section.Variables)
                sections.TryAdd(variable.Type, section.Name);
        var externs = new List<Extern>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symbol in file.Symbols.Where(IsExtern))
        {
            if (!seen.Add(symbol.Name))
                throw new ObjectFormatException($"extern '{symbol.Name}' has two symbols in the symbol table", ".symtab");
            // libbpf's find_extern_btf_id: the first VAR or FUNC of that name, which must be an extern.
            var type = btf.Named(symbol.Name).FirstOrDefault(t => t is BtfVariable or BtfFunction);
            if (type is not (BtfVariable { IsExtern: true } or BtfFunction { IsExtern: true })
                || !sections.TryGetValue(type.Id, out var section))
                continue;
            var weak = symbol.Binding == ElfSymbolBinding.Weak;
            externs.Add(section == KconfigMap.Section ? KconfigOf(btf, type, weak)
                : new KernelSymbolExtern(symbol.Name, weak, type is BtfFunction, type is BtfVariable v && btf.SkipModifiers(v.Type).Id != 0));
        }
        return new ExternTable(mapName, Layout(externs.OfType<KconfigExtern>()), externs.OfType<KernelSymbolExtern>());
    }

    /// <summary>libbpf's <c>sym_is_extern</c>.</summary>
    static bool IsExtern(ElfSymbol symbol) => symbol.SectionIndex == ElfSymbol.Undefined && symbol.Name.Length > 0
        && symbol.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak && symbol.Type == ElfSymbolType.NoType;

    /// <summary>libbpf's <c>find_kcfg_type</c>, with the size and alignment it takes from the BTF.</summary>
    static KconfigExtern KconfigOf(BtfGraph btf, BtfType type, bool weak)
    {
        if (type is not BtfVariable variable)
            throw new ObjectFormatException($"extern function {type.Name} is unsupported under {KconfigMap.Section} section", KconfigMap.Section);
        var (kind, signed, size) = Classify(btf, variable.Type)
            ?? throw new ObjectFormatException($"extern (kcfg) '{variable.Name}' type is unsupported", KconfigMap.Section);
        // btf__align_of: an integer or enum aligns to its size, an array to its element (a char).
        var alignment = kind == KconfigType.CharArray ? 1 : size;
        return new KconfigExtern(variable.Name, weak, kind, signed, size, alignment);
    }

    static (KconfigType Type, bool Signed, uint Size)? Classify(BtfGraph btf, int typeId) => btf.SkipModifiers(typeId) switch
    {
        BtfInt { IsBool: true, Size: 1 } => (KconfigType.Bool, false, 1),
        BtfInt { IsBool: true } => null,
        BtfInt { Size: 1 } i => (KconfigType.Char, i.IsSigned, 1),
        BtfInt { Size: 2 or 4 or 8 } i => (KconfigType.Integer, i.IsSigned, i.Size),
        BtfEnum { Kind: BtfKind.Enum, Size: 4, Name: "libbpf_tristate" } => (KconfigType.Tristate, false, 4),
        BtfArray { Count: > 0 } a when btf.SkipModifiers(a.ElementType) is BtfInt { IsBool: false, Size: 1 } => (KconfigType.CharArray, false, a.Count),
        _ => null,
    };

    /// <summary>libbpf's <c>cmp_externs</c> order, each at the next offset its alignment allows.</summary>
    static List<KconfigExtern> Layout(IEnumerable<KconfigExtern> externs)
    {
        var laid = new List<KconfigExtern>();
        var end = 0UL;
        foreach (var e in externs.OrderByDescending(e => e.Alignment).ThenBy(e => e.Size).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            var offset = (end + e.Alignment - 1) / e.Alignment * e.Alignment;
            end = offset + e.Size;
            if (end > uint.MaxValue)
                throw new ObjectFormatException($"the {KconfigMap.Section} externs take {end} bytes with '{e.Name}', too many for a map value", KconfigMap.Section);
            laid.Add(e with { Offset = (uint)offset });
        }
        return laid;
    }
}
