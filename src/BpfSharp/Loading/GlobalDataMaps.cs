using BpfSharp.Abi;
using System.Text;
using BpfSharp.Elf;
using BpfSharp.Maps;

namespace BpfSharp.Loading;

/// <summary>Global variables as libbpf exposes them: each <c>.data</c>, <c>.rodata</c>, <c>.bss</c> (and
/// <c>.data.*</c>, <c>.rodata.*</c>, <c>.bss.*</c>) section becomes a one-entry array map whose single value is the
/// section, named like <c>tailcall.bss</c>.</summary>
internal static class GlobalDataMaps
{
    public static bool IsGlobalData(string section) =>
        Is(section, ".data") || Is(section, ".rodata") || Is(section, ".bss");

    static bool Is(string section, string prefix) =>
        section == prefix || section.StartsWith(prefix + ".", StringComparison.Ordinal);

    public static MapDefinition Define(string objectName, ElfSection section)
    {
        if (section.Size > uint.MaxValue)
            throw new ObjectFormatException($"global data section is {section.Size} bytes, too large for a map value", section.Name);
        // .bss holds zeroes, which a new map holds already: nothing to copy (and nothing allocated before the budget check).
        var initial = section.Type == ElfSectionType.NoBits ? null : section.Data.ToArray();
        return Internal(objectName, section.Name, (uint)section.Size, Is(section.Name, ".rodata"), initial);
    }

    /// <summary>libbpf's <c>bpf_object__init_internal_map</c>: a one-entry array named after the object and the
    /// section; a read-only one (<c>.rodata</c>, <c>.kconfig</c>) is <c>BPF_F_RDONLY_PROG</c> and frozen once
    /// filled, so the verifier may take its bytes as constants.</summary>
    public static MapDefinition Internal(string objectName, string section, uint valueSize, bool readOnly, byte[]? initial) =>
        new(new MapSpec(InternalName(objectName, section), MapType.Array, 4, valueSize, 1, readOnly ? MapFlags.ReadOnlyProgram : 0),
            initial, readOnly, new Dictionary<uint, string>(), section);

    /// <summary>libbpf's <c>internal_map_name</c>: up to 8 characters of the object name, then the section name in
    /// the rest of the kernel's 15; no prefix when the section name has a second dot (a custom section); characters
    /// the kernel refuses in map names become '_'.</summary>
    public static string InternalName(string objectName, string section)
    {
        const int NameLength = 15; // BPF_OBJ_NAME_LEN - 1
        var suffixLength = Math.Min(Math.Max(7, section.Length), NameLength);
        var prefixLength = section.IndexOf('.', 1) >= 0 ? 0 : Math.Min(NameLength - suffixLength, objectName.Length);
        var name = objectName[..prefixLength] + section[..Math.Min(section.Length, suffixLength)];
        var sanitized = new StringBuilder(name.Length);
        foreach (var c in name) sanitized.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_');
        return sanitized.ToString();
    }

    /// <summary>libbpf's object name: the file name up to its first dot ("sem.bpf.o" → "sem").</summary>
    public static string ObjectName(string path)
    {
        var name = Path.GetFileName(path);
        var dot = name.IndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }
}
