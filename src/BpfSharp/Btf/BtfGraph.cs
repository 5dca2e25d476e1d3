namespace BpfSharp.Btf;

/// <summary>The types of one BTF blob (an object's <c>.BTF</c> section, or the kernel's
/// <c>/sys/kernel/btf/vmlinux</c>) with the lookups the loader needs: by id, by name, through typedefs and
/// qualifiers, sizes. Type chains are followed at most <see cref="MaxChain"/> deep, so a looping chain in hostile
/// input is an error, not a hang.</summary>
internal sealed class BtfGraph
{
    /// <summary>How many typedefs/qualifiers/arrays deep a lookup follows before calling the chain a loop (libbpf
    /// uses 32 likewise).</summary>
    public const int MaxChain = 32;

    readonly Dictionary<string, List<BtfType>> byName;

    internal BtfGraph(IReadOnlyList<BtfType> types, BtfStrings strings)
    {
        Types = types;
        Strings = strings;
        byName = new Dictionary<string, List<BtfType>>(StringComparer.Ordinal);
        foreach (var t in types)
            if (t.Name.Length > 0)
                (byName.TryGetValue(t.Name, out var list) ? list : byName[t.Name] = new List<BtfType>()).Add(t);
    }

    /// <summary>Every type; index = type id; index 0 is void.</summary>
    public IReadOnlyList<BtfType> Types { get; }

    /// <summary>The string section (names, and in line info the source file names and lines).</summary>
    public BtfStrings Strings { get; }

    /// <summary>The type with this id; throws <see cref="ObjectFormatException"/> when there is none.</summary>
    public BtfType this[int id] => (uint)id < (uint)Types.Count ? Types[id]
        : throw new ObjectFormatException($"BTF type id {id} does not exist (there are {Types.Count})", ".BTF");

    /// <summary>Types with this name (any kind).</summary>
    public IReadOnlyList<BtfType> Named(string name) =>
        byName.TryGetValue(name, out var list) ? list : Array.Empty<BtfType>();

    /// <summary>The first type with this name and kind, or null.</summary>
    public T? Find<T>(string name) where T : BtfType => Named(name).OfType<T>().FirstOrDefault();

    /// <summary>Follows typedefs and qualifiers (const, volatile, restrict, type tags) to the type they name.</summary>
    public BtfType SkipModifiers(int id)
    {
        var type = this[id];
        for (var depth = 0; type is BtfReference { Kind: not BtfKind.Pointer } r; depth++)
        {
            if (depth >= MaxChain) throw Loop(id);
            type = this[r.Target];
        }
        return type;
    }

    /// <summary>The size in bytes of a value of this type, as <c>sizeof</c> gives it.</summary>
    /// <exception cref="ObjectFormatException">A type without a size, a chain of references longer than the kernel
    /// follows, or a size past 64 bits.</exception>
    public ulong SizeOf(int id)
    {
        try
        {
            return CheckedSizeOf(id);
        }
        catch (OverflowException)
        {
            // An object's BTF is input: nested array counts can multiply past 2^64 (a hostile or corrupt object).
            throw new ObjectFormatException($"BTF type {id}'s size does not fit in 64 bits", ".BTF");
        }
    }

    ulong CheckedSizeOf(int id)
    {
        ulong multiplier = 1;
        for (var depth = 0; depth < MaxChain; depth++)
        {
            switch (SkipModifiers(id))
            {
                case BtfInt i: return checked(multiplier * i.Size);
                case BtfComposite c: return checked(multiplier * c.Size);
                case BtfEnum e: return checked(multiplier * e.Size);
                case BtfFloat f: return checked(multiplier * f.Size);
                case BtfDataSection d: return checked(multiplier * d.Size);
                case BtfReference { Kind: BtfKind.Pointer }: return checked(multiplier * 8);
                case BtfArray a:
                    multiplier = checked(multiplier * a.Count);
                    id = a.ElementType;
                    continue;
                case BtfVariable v:
                    id = v.Type;
                    continue;
                case var other:
                    throw new ObjectFormatException($"BTF type {other.Id} ({other.Kind}) has no size", ".BTF");
            }
        }
        throw Loop(id);
    }

    static ObjectFormatException Loop(int id) =>
        new($"BTF type chain from id {id} is longer than {MaxChain} (a loop?)", ".BTF");
}
