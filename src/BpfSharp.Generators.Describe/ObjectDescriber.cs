using System.Text;
using BpfSharp.Loading;
using BpfSharp.Loading.Externs;

namespace BpfSharp.Generators.Describe;

/// <summary>Writes what a skeleton needs to know of an object, one fact a line, tab-separated (format 1, read by
/// BpfSharp.Generators' <c>DescriptionReader</c>): its programs, its maps with their key and value types, its global
/// variables, and the structs those types name, laid out as the object's BTF lays them out. An object the loader
/// cannot read gets one <c>error</c> line with the loader's message instead.</summary>
internal static class ObjectDescriber
{
    public const int Format = 1;

    /// <summary>The description of <paramref name="elf"/>, read from <paramref name="path"/>, which the generator's
    /// diagnostics point at.</summary>
    public static string Describe(ReadOnlySpan<byte> elf, string path, SkeletonTarget target)
    {
        var fileName = Path.GetFileName(path);
        var name = GlobalDataMaps.ObjectName(fileName);
        var text = new StringBuilder();
        Line(text, "bpfsharp-skeleton", Format.ToString());
        Line(text, "object", name, fileName);
        Line(text, "source", Path.GetFullPath(path));
        Line(text, "namespace", target.Namespace);
        Line(text, "resource", target.Resource);
        if (target.ClassName is { } className) Line(text, "class", className);
        var body = new StringBuilder();
        try
        {
            DescribeSpec(body, ObjectSpec.Read(elf, name));
        }
        catch (BpfException e)
        {
            // ObjectSpec.Read reports what it meets in the file; the skeleton turns it into a build error.
            Line(text, "error", e.Message.ReplaceLineEndings(" ").Replace('\t', ' '));
            return text.ToString();
        }
        return text.Append(body).ToString();
    }

    static void DescribeSpec(StringBuilder text, ObjectSpec spec)
    {
        var types = new BtfTypeDescriber(spec.Btf);
        foreach (var program in spec.Programs)
            Line(text, "program", program.Name, program.SectionText);
        foreach (var program in spec.Unloadable)
            Line(text, "program", program.Name, program.SectionText);
        foreach (var map in spec.Maps.Where(m => !GlobalDataMaps.IsGlobalData(m.Section) && m.Section != KconfigMap.Section))
            Line(text, "map", map.Name, map.Spec.Type.ToString(), map.Spec.KeySize.ToString(), map.Spec.ValueSize.ToString(),
                map.Spec.MaxEntries.ToString(), types.Describe(map.KeyType, map.Name + "_key"), types.Describe(map.ValueType, map.Name + "_value"));
        foreach (var variable in GlobalVariable.All(spec.Btf))
        {
            // A section of no bytes (an empty .bss) has no map, and nothing to read.
            if (spec.Maps.FirstOrDefault(m => m.Section == variable.Section) is not { } map) continue;
            Line(text, "global", variable.Name, variable.Section, map.Name, variable.Offset.ToString(), variable.Size.ToString(),
                types.Describe(variable.Type, variable.Name), map.Frozen ? "readonly" : "writable");
        }
        foreach (var composite in types.Composites)
        {
            Line(text, "struct", composite.Name, composite.Size.ToString(), composite.IsUnion ? "union" : "struct");
            foreach (var member in composite.Members)
                Line(text, "member", member.Name, member.Offset.ToString(), member.Type);
            foreach (var bitfield in composite.Bitfields)
                Line(text, "bitfield", bitfield.Name, bitfield.BitOffset.ToString(), bitfield.Bits.ToString(), bitfield.Type);
        }
    }

    static void Line(StringBuilder text, params string[] fields) => text.Append(string.Join('\t', fields)).Append('\n');
}
