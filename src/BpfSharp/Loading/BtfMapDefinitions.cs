using BpfSharp.Btf;
using BpfSharp.Elf;
using BpfSharp.Maps;

namespace BpfSharp.Loading;

/// <summary>Reads BTF-defined maps: the variables of the <c>.maps</c> data section, each a struct whose members
/// encode the attributes the way bpf_helpers.h writes them — <c>__uint(name, n)</c> is <c>int (*name)[n]</c>,
/// <c>__type(key, T)</c> is <c>T *key</c>, <c>__array(values, T)</c> is <c>T *values[]</c>.</summary>
internal static class BtfMapDefinitions
{
    /// <summary>The maps a <c>.maps</c> section defines; <paramref name="slotTargets"/> are the section's relocations
    /// (offset → the program or map a pointer there names), which initialise static program and map arrays.</summary>
    public static IEnumerable<MapDefinition> Read(ElfSection section, BtfGraph btf, IReadOnlyDictionary<uint, string> slotTargets)
    {
        var datasec = btf.Find<BtfDataSection>(section.Name)
            ?? throw new ObjectFormatException("the .maps section has no BTF DATASEC describing it (compile with -g)", section.Name);
        foreach (var variable in datasec.Variables)
        {
            if (btf[variable.Type] is not BtfVariable v)
                throw new ObjectFormatException($"BTF .maps entry {variable.Type} is not a variable", section.Name);
            if (btf.SkipModifiers(v.Type) is not BtfComposite def)
                throw new ObjectFormatException($"map '{v.Name}' is not defined by a struct", section.Name);
            // Offsets as the symbols give them (DataSectionLayout).
            yield return Parse(v.Name, def, btf, section.Name, variable.Offset,
                new Initialiser(variable.Offset, variable.Offset + variable.Size, slotTargets));
        }
    }

    /// <summary>Where a map's variable lies in the section, and the section's pointer relocations.</summary>
    readonly record struct Initialiser(ulong Start, ulong End, IReadOnlyDictionary<uint, string> Targets);

    static MapDefinition Parse(string name, BtfComposite def, BtfGraph btf, string section, uint varOffset, Initialiser? initialiser)
    {
        MapType type = MapType.Unspec;
        uint keySize = 0, valueSize = 0, maxEntries = 0, flags = 0, pinning = 0;
        ulong extra = 0;
        MapSpec? inner = null;
        int? spinLock = null, timer = null;
        int keyType = 0, valueType = 0;
        var slots = new Dictionary<uint, string>();
        ulong? valuesAt = null;
        foreach (var member in def.Members)
        {
            switch (member.Name)
            {
                case "type": type = (MapType)Uint(member); break;
                case "max_entries": maxEntries = Uint(member); break;
                case "key_size": keySize = Uint(member); break;
                case "value_size": valueSize = Uint(member); break;
                case "map_flags": flags = Uint(member); break;
                case "map_extra": extra = Uint(member); break;
                case "numa_node": break;
                case "pinning": pinning = Uint(member); break;
                case "key":
                    keyType = Pointee(member);
                    keySize = (uint)btf.SizeOf(keyType);
                    break;
                case "value":
                    valueType = Pointee(member);
                    valueSize = (uint)btf.SizeOf(valueType);
                    spinLock = FieldOffset(btf, Pointee(member), "bpf_spin_lock");
                    timer = FieldOffset(btf, Pointee(member), "bpf_timer");
                    break;
                case "values":
                {
                    // __array(values, T): an array of pointers; T is the inner map's definition, or a function prototype for
                    // a program array. The value itself is an fd (4 bytes) to the kernel.
                    if (btf.SkipModifiers(member.Type) is not BtfArray array || btf.SkipModifiers(array.ElementType) is not BtfReference { Kind: BtfKind.Pointer } pointer)
                        throw new ObjectFormatException($"map '{name}': 'values' is not an array of pointers", section);
                    if (btf.SkipModifiers(pointer.Target) is BtfComposite innerDef)
                        inner = Parse(name + ".inner", innerDef, btf, section, 0, null).Spec;
                    valueSize = 4;
                    valuesAt = varOffset + member.BitOffset / 8;
                    break;
                }
                default:
                    throw new ObjectFormatException($"map '{name}': unknown attribute '{member.Name}'", section);
            }

            uint Uint(BtfMember m) =>
                btf.SkipModifiers(m.Type) is BtfReference { Kind: BtfKind.Pointer } p && btf.SkipModifiers(p.Target) is BtfArray a
                    ? a.Count
                    : throw new ObjectFormatException($"map '{name}': attribute '{m.Name}' is not written as __uint(name, value)", section);

            int Pointee(BtfMember m) =>
                btf.SkipModifiers(m.Type) is BtfReference { Kind: BtfKind.Pointer } p
                    ? p.Target
                    : throw new ObjectFormatException($"map '{name}': attribute '{m.Name}' is not written as __type(name, T)", section);
        }
        // The initialised slots are the pointers relocated inside the variable (libbpf's collect_map_relos): as many
        // as the object holds, whatever max_entries declares.
        if (valuesAt is { } values && initialiser is { } init)
            foreach (var (at, target) in init.Targets.Where(t => t.Key >= values && t.Key < init.End).OrderBy(t => t.Key))
            {
                if ((at - values) % 8 != 0)
                    throw new ObjectFormatException($"map '{name}': relocation at offset {at} is not on a slot of 'values'", section);
                var slot = (at - values) / 8;
                // libbpf's collect_map_relos: a slot is a 4-byte index, so only a map with 4-byte keys can be filled.
                if (keySize != 4)
                    throw new ObjectFormatException($"map '{name}': slots initialised in .maps need a key of 4 bytes, not {keySize}", section);
                if (slot >= maxEntries)
                    throw new ObjectFormatException($"map '{name}': slot {slot} is initialised, but max_entries is {maxEntries}", section);
                slots[(uint)slot] = target;
            }
        // Program and map arrays hold 4-byte ids/fds when the definition names only the element kind.
        if (type is MapType.ProgArray or MapType.ArrayOfMaps or MapType.HashOfMaps && valueSize == 0) valueSize = 4;
        return new MapDefinition(new MapSpec(name, type, keySize, valueSize, maxEntries, flags, extra, inner), null, false, slots, section, pinning,
            spinLock, timer, keyType, valueType);
    }

    /// <summary>The byte offset of a top-level member of the value type that is the kernel's <c>struct</c>
    /// <paramref name="kernelStruct"/> (<c>bpf_spin_lock</c>, <c>bpf_timer</c>), if any.</summary>
    static int? FieldOffset(BtfGraph btf, int valueType, string kernelStruct) =>
        btf.SkipModifiers(valueType) is BtfComposite value
            && value.Members.FirstOrDefault(m => btf.SkipModifiers(m.Type) is BtfComposite c && c.Name == kernelStruct) is { } member
            ? (int)(member.BitOffset / 8) : null;
}
