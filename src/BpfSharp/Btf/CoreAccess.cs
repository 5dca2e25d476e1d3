namespace BpfSharp.Btf;

/// <summary>Resolves CO-RE relocations the way libbpf's <c>relo_core.c</c> does: a local access path ("0:1:2": index
/// into the root pointer, then member or array indexes) is turned into member names, and the same names are looked up
/// in every target type whose essential name (without a <c>___flavour</c> suffix) matches.</summary>
internal static class CoreAccess
{
    /// <summary>The name without its CO-RE flavour: "task_struct___v2" → "task_struct".</summary>
    public static string EssentialName(string name)
    {
        var i = name.IndexOf("___", StringComparison.Ordinal);
        return i > 0 ? name[..i] : name;
    }

    /// <summary>The access path's indexes.</summary>
    public static int[] Parse(string access)
    {
        var parts = access.Split(':');
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out result[i]) || result[i] < 0)
                throw new ObjectFormatException($"CO-RE access string '{access}' is malformed", ".BTF.ext");
        return result;
    }

    /// <summary>One named step of a path: a struct/union member by name, or an array index.</summary>
    public readonly record struct Step(string? Member, int Index);

    /// <summary>Walks a local path: the field it reaches and the named steps that identify it (anonymous struct and
    /// union members are containers only, as libbpf treats them).</summary>
    public static (CoreField Field, List<Step> Steps) Local(BtfGraph btf, int rootId, int[] access)
    {
        var type = rootId;
        long bits = checked((long)access[0] * (long)btf.SizeOf(rootId) * 8);
        var steps = new List<Step>();
        var bitfield = 0;
        for (var i = 1; i < access.Length; i++)
        {
            switch (btf.SkipModifiers(type))
            {
                case BtfComposite c when access[i] < c.Members.Count:
                    var m = c.Members[access[i]];
                    bits += m.BitOffset;
                    bitfield = m.BitfieldSize;
                    type = m.Type;
                    if (m.Name.Length > 0) steps.Add(new Step(m.Name, 0));
                    break;
                case BtfArray a:
                    bits = checked(bits + (long)access[i] * (long)btf.SizeOf(a.ElementType) * 8);
                    bitfield = 0;
                    type = a.ElementType;
                    steps.Add(new Step(null, access[i]));
                    break;
                default:
                    throw new ObjectFormatException($"CO-RE access step {i} ({access[i]}) does not fit local type {type}", ".BTF.ext");
            }
        }
        return (new CoreField(bits, bitfield, type), steps);
    }

    /// <summary>Follows the named steps in a target type; null when a member or index is missing there.</summary>
    public static CoreField? Target(BtfGraph btf, int rootId, int rootIndex, IReadOnlyList<Step> steps)
    {
        var type = rootId;
        long bits = checked((long)rootIndex * (long)btf.SizeOf(rootId) * 8);
        var bitfield = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var resolved = btf.SkipModifiers(type);
            if (step.Member is { } name)
            {
                if (resolved is not BtfComposite c || FindMember(btf, c, name, 0) is not { } found) return null;
                bits += found.BitOffset;
                bitfield = found.Bitfield;
                type = found.Type;
            }
            else
            {
                // A flexible array (0 elements) may be indexed when it is the last step, as in libbpf.
                if (resolved is not BtfArray a || (step.Index >= a.Count && !(a.Count == 0 && i == steps.Count - 1))) return null;
                bits = checked(bits + (long)step.Index * (long)btf.SizeOf(a.ElementType) * 8);
                bitfield = 0;
                type = a.ElementType;
            }
        }
        return new CoreField(bits, bitfield, type);
    }

    /// <summary>A member by name, looking inside anonymous struct/union members too.</summary>
    static (long BitOffset, int Bitfield, int Type)? FindMember(BtfGraph btf, BtfComposite c, string name, int depth)
    {
        if (depth > BtfGraph.MaxChain) return null;
        foreach (var m in c.Members)
        {
            if (m.Name == name) return (m.BitOffset, m.BitfieldSize, m.Type);
            if (m.Name.Length == 0 && btf.SkipModifiers(m.Type) is BtfComposite inner && FindMember(btf, inner, name, depth + 1) is { } found)
                return (m.BitOffset + found.BitOffset, found.Bitfield, found.Type);
        }
        return null;
    }

    /// <summary>Whether a local and a target field type can be read the same way (libbpf's
    /// <c>bpf_core_fields_are_compat</c>): scalars with scalars, pointers with pointers, composites by name, arrays by
    /// element.</summary>
    public static bool FieldsCompatible(BtfGraph local, int localType, BtfGraph target, int targetType, int depth = 0)
    {
        if (depth > BtfGraph.MaxChain) return false;
        var l = local.SkipModifiers(localType);
        var t = target.SkipModifiers(targetType);
        return (l, t) switch
        {
            (BtfInt or BtfEnum, BtfInt or BtfEnum) => true,
            (BtfFloat, BtfFloat) => true,
            (BtfReference { Kind: BtfKind.Pointer }, BtfReference { Kind: BtfKind.Pointer }) => true,
            (BtfComposite or BtfForward, BtfComposite or BtfForward) => EssentialName(l.Name) == EssentialName(t.Name),
            (BtfArray la, BtfArray ta) => FieldsCompatible(local, la.ElementType, target, ta.ElementType, depth + 1),
            _ => false,
        };
    }

    /// <summary>Target types a local root type may stand for: same kind family, same essential name.</summary>
    public static IEnumerable<BtfType> Candidates(BtfGraph local, int localId, BtfGraph target)
    {
        var root = local.SkipModifiers(localId);
        var name = EssentialName(root.Name);
        if (name.Length == 0) return Array.Empty<BtfType>();
        return target.Named(name).Where(t => SameKind(root, t));
    }

    static bool SameKind(BtfType a, BtfType b) => (a, b) switch
    {
        (BtfComposite x, BtfComposite y) => x.Kind == y.Kind,
        (BtfEnum, BtfEnum) => true,
        (BtfForward, BtfComposite or BtfForward) => true,
        _ => a.Kind == b.Kind,
    };
}
