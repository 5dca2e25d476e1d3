using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;
using BpfSharp.Elf;
using BpfSharp.Loading.Externs;

namespace BpfSharp.Loading;

/// <summary>Everything a clang-built BPF object defines, read the way libbpf reads it, before anything is created:
/// programs (linked with their subprograms), maps (BTF-defined, legacy, global data, <c>.kconfig</c>), externs, license,
/// version, BTF.
/// Deterministic — the same file gives the same spec on every machine; host work waits for
/// <see cref="BpfObject.Load(ObjectSpec, LoadOptions?)"/>.</summary>
internal sealed class ObjectSpec
{
    ObjectSpec(string name, IReadOnlyList<ProgramSpec> programs, IReadOnlyList<UnloadableProgram> unloadable,
        IReadOnlyList<MapDefinition> maps, string license, uint kernelVersion, BtfGraph? btf, ExternTable externs)
    {
        Name = name;
        Programs = programs;
        Unloadable = unloadable;
        Maps = maps;
        License = license;
        KernelVersion = kernelVersion;
        Btf = btf;
        Externs = externs;
    }

    /// <summary>The object's name as libbpf derives it (file name up to the first dot).</summary>
    public string Name { get; }

    /// <summary>The programs, in section and symbol order.</summary>
    public IReadOnlyList<ProgramSpec> Programs { get; }

    /// <summary>The programs that cannot be linked, with the reason; loading one of them fails with that reason, and
    /// loading the whole object (no <see cref="LoadOptions.Programs"/>) fails with the first.</summary>
    public IReadOnlyList<UnloadableProgram> Unloadable { get; }

    /// <summary>Every program's name: the loadable ones, then the others.</summary>
    public IEnumerable<string> ProgramNames => Programs.Select(p => p.Name).Concat(Unloadable.Select(u => u.Name));

    /// <summary>The maps, including global data.</summary>
    public IReadOnlyList<MapDefinition> Maps { get; }

    /// <summary>The <c>license</c> section's string ("" when absent).</summary>
    public string License { get; }

    /// <summary>The <c>version</c> section's value (0 when absent).</summary>
    public uint KernelVersion { get; }

    /// <summary>The object's BTF, when it was compiled with <c>-g</c>.</summary>
    public BtfGraph? Btf { get; }

    /// <summary>The <c>__kconfig</c> and <c>__ksym</c> externs, the <c>__kconfig</c> ones laid out for the
    /// <c>.kconfig</c> map.</summary>
    internal ExternTable Externs { get; }

    /// <summary>Reads an object file.</summary>
    public static ObjectSpec Read(string path) => Read(File.ReadAllBytes(path), GlobalDataMaps.ObjectName(path));

    /// <summary>Reads an object from bytes; <paramref name="name"/> prefixes its global-data map names.</summary>
    public static ObjectSpec Read(ReadOnlySpan<byte> bytes, string name)
    {
        var file = ObjectFile.Read(bytes);
        var btfSection = file.FindSection(".BTF");
        var btf = btfSection is null ? null : DataSectionLayout.Apply(file, BtfReader.Read(btfSection.Data.Span));
        var extSection = file.FindSection(".BTF.ext");
        var ext = extSection is null || btf is null ? BtfExt.Empty : BtfExt.Read(extSection.Data.Span, btf.Strings);
        var license = ReadString(file.FindSection("license"));
        var version = file.FindSection("version") is { Size: 4 } v ? BinaryPrimitives.ReadUInt32LittleEndian(v.Data.Span) : 0u;

        var externs = ExternTable.Read(file, btf, name);
        var maps = ReadMaps(file, btf, name, externs);
        var codeSections = file.Sections.Where(s => s.IsExecutable && s.Size > 0).ToDictionary(s => s.Index, s => new CodeSection(file, s));
        var resolver = new MapResolver(file, name, maps);
        var programs = new List<ProgramSpec>();
        var unloadable = new List<UnloadableProgram>();
        foreach (var section in codeSections.Values.Where(s => s.Name != ".text"))
            foreach (var function in section.Functions.Where(f => f.Binding != ElfSymbolBinding.Local))
            {
                try { programs.Add(ProgramLinker.Link(file, codeSections, ext, section, function, license, resolver.Resolve, externs)); }
                catch (ObjectFormatException e) { unloadable.Add(new UnloadableProgram(function.Name, section.Name, e)); }
            }
        return new ObjectSpec(name, programs, unloadable, maps, license, version, btf, externs);
    }

    static List<MapDefinition> ReadMaps(ObjectFile file, BtfGraph? btf, string name, ExternTable externs)
    {
        var maps = new List<MapDefinition>();
        if (file.FindSection(".maps") is { } btfMaps)
        {
            if (btf is null) throw new ObjectFormatException("BTF-defined maps need the object's BTF (compile with -g)", ".maps");
            var slotRelocations = file.RelocationsFor(btfMaps).ToDictionary(r => (uint)r.Offset, r => file.Symbols[r.SymbolIndex].Name);
            maps.AddRange(BtfMapDefinitions.Read(btfMaps, btf, slotRelocations));
        }
        if (file.FindSection("maps") is { } legacy)
            maps.AddRange(LegacyMapDefinitions.Read(file, legacy));
        foreach (var section in file.Sections.Where(s => GlobalDataMaps.IsGlobalData(s.Name) && s.Size > 0))
            maps.Add(GlobalDataMaps.Define(name, section));
        if (KconfigMap.Define(name, externs) is { } kconfig) maps.Add(kconfig);
        var duplicate = maps.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ObjectFormatException($"two maps are named '{duplicate.Key}'");
        return maps;
    }

    static string ReadString(ElfSection? section)
    {
        if (section is null) return "";
        var span = section.Data.Span;
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Programs.Count} programs, {Maps.Count} maps";
}
