using BpfSharp.Btf;

namespace BpfSharp.Generators.Describe;

/// <summary>Writes BTF types as the description's type expressions: <c>u32</c>, <c>i64</c>, <c>bool</c>,
/// <c>f64</c>, <c>[16]u8</c>, <c>struct counter</c>; pointers are <c>u64</c> (an address is a number to the host),
/// enums their integer. Collects each struct and union it meets, once, named by C or, when anonymous, by where it was
/// met (<c>meta_u</c>, <c>verdicts_value</c>).</summary>
internal sealed class BtfTypeDescriber(BtfGraph? btf)
{
    readonly Dictionary<int, DescribedComposite> byId = [];
    readonly HashSet<int> inProgress = [];
    readonly HashSet<string> names = new(StringComparer.Ordinal);
    readonly List<DescribedComposite> composites = [];

    /// <summary>Every struct and union described so far, in the order met.</summary>
    public IReadOnlyList<DescribedComposite> Composites => composites;

    /// <summary>The expression for type <paramref name="id"/>; <c>-</c> for none (a map defined by sizes only, or no
    /// BTF). <paramref name="context"/> names the type if it is an anonymous struct.</summary>
    public string Describe(int id, string context) => id == 0 || btf is null ? "-" : Expression(btf, id, context, 0);

    string Expression(BtfGraph graph, int id, string context, int depth)
    {
        if (depth > BtfGraph.MaxChain)
            throw new ObjectFormatException($"BTF type {id} nests arrays more than {BtfGraph.MaxChain} deep", ".BTF");
        return graph.SkipModifiers(id) switch
        {
            BtfInt { IsBool: true, Size: 1 } => "bool",
            BtfInt i => Integer(i.Size, i.IsSigned),
            BtfEnum e => Integer(e.Size, e.IsSigned),
            BtfFloat { Size: 4 } => "f32",
            BtfFloat { Size: 8 } => "f64",
            BtfFloat f => $"[{f.Size}]u8",
            BtfReference { Kind: BtfKind.Pointer } => "u64",
            BtfArray a => $"[{a.Count}]{Expression(graph, a.ElementType, context, depth + 1)}",
            BtfComposite c => (c.IsUnion ? "union " : "struct ") + Composite(graph, c, context).Name,
            var other => throw new ObjectFormatException($"BTF type {other.Id} ({other.Kind}) has no layout a skeleton can declare", ".BTF"),
        };
    }

    /// <summary>A bitfield's integer (an enum's, a typedef's), read as a <c>u64</c> when it is something else.</summary>
    static string BitfieldType(BtfGraph graph, int id) => graph.SkipModifiers(id) switch
    {
        BtfInt { IsBool: true, Size: 1 } => "bool",
        BtfInt { Size: 1 or 2 or 4 or 8 } i => Integer(i.Size, i.IsSigned),
        BtfEnum { Size: 1 or 2 or 4 or 8 } e => Integer(e.Size, e.IsSigned),
        _ => "u64",
    };

    static string Integer(uint size, bool signed) => size is 1 or 2 or 4 or 8 or 16 ? $"{(signed ? 'i' : 'u')}{size * 8}" : $"[{size}]u8";

    DescribedComposite Composite(BtfGraph graph, BtfComposite c, string context)
    {
        if (byId.TryGetValue(c.Id, out var known)) return known;
        if (!inProgress.Add(c.Id))
            throw new ObjectFormatException($"BTF {c.Kind} {c.Id} '{c.Name}' contains itself", ".BTF");
        var name = c.Name.Length > 0 ? c.Name : context;
        if (!names.Add(name)) names.Add(name = $"{name}_{c.Id}");
        var described = new DescribedComposite(name, c.Size, c.IsUnion);
        composites.Add(described);
        AddMembers(graph, described, c, 0);
        inProgress.Remove(c.Id);
        byId[c.Id] = described;
        return described;
    }

    /// <summary>Adds <paramref name="c"/>'s members at <paramref name="baseBits"/>; an anonymous struct or union
    /// member's members are the outer one's, as C reads <c>outer.inner_field</c>.</summary>
    void AddMembers(BtfGraph graph, DescribedComposite described, BtfComposite c, uint baseBits)
    {
        foreach (var member in c.Members)
        {
            var bits = baseBits + member.BitOffset;
            if (member.BitfieldSize > 0 || bits % 8 != 0)
                described.Bitfields.Add((member.Name, bits, member.BitfieldSize > 0 ? member.BitfieldSize : (int)graph.SizeOf(member.Type) * 8,
                    BitfieldType(graph, member.Type)));
            else if (member.Name.Length == 0 && graph.SkipModifiers(member.Type) is BtfComposite inner)
            {
                if (!inProgress.Add(inner.Id))
                    throw new ObjectFormatException($"BTF {inner.Kind} {inner.Id} contains itself", ".BTF");
                AddMembers(graph, described, inner, bits);
                inProgress.Remove(inner.Id);
            }
            else if (graph.SizeOf(member.Type) > 0)    // a flexible array member has no bytes of its own
                described.Members.Add((member.Name, bits / 8, Expression(graph, member.Type, $"{described.Name}_{member.Name}", 0)));
        }
    }
}
