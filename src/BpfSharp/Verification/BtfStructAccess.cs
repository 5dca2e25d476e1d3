using BpfSharp.Btf;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>A read through a BTF pointer, resolved against the struct's layout as the kernel's
/// <c>btf_struct_access</c> and <c>btf_struct_walk</c> (kernel/bpf/btf.c) resolve it: the bytes must lie inside one
/// member; a pointer member read whole gives a pointer to its struct, anything else a number.</summary>
internal static class BtfStructAccess
{
    /// <summary>What a walk step found in a member: a number, a pointer to a struct (with the flags its type tags add,
    /// <c>__rcu</c>), a pointer to anything else (<c>WALK_PTR_UNTRUSTED</c>: read-only memory of unknown size, since
    /// Linux 6.17), or a nested struct to walk into.</summary>
    public enum Step { Scalar, Pointer, UntrustedMemory, Struct }

    /// <summary>The member a read lands in; for a pointer or a nested struct, the struct's type id.</summary>
    public readonly record struct Found(Step Kind, int TypeId, string Name, BtfPointerFlags Flags);

    /// <summary>Resolves a read of <paramref name="size"/> bytes at <paramref name="offset"/> of the struct
    /// <paramref name="typeId"/>; null with the kernel's message when no member holds those bytes.
    /// <paramref name="flags"/> gains <see cref="BtfPointerFlags.Untrusted"/> when the walk crosses a union of
    /// several members, as the kernel's does.</summary>
    public static Found? Read(BtfGraph graph, int typeId, int offset, int size, ref BtfPointerFlags flags, out string error)
    {
        var type = graph.SkipModifiers(typeId);
        for (var depth = 0; depth < BtfGraph.MaxChain * 4; depth++)
        {
            if (Walk(graph, type, offset, size, ref flags, out error) is not { } found) return null;
            if (found.Kind != Step.Struct) return found;
            type = graph.SkipModifiers(found.TypeId);
            offset = 0;
        }
        error = $"struct {graph[typeId].Name} nests deeper than BpfSharp follows";
        return null;
    }

    /// <summary>One level of <c>btf_struct_walk</c>: the member of <paramref name="type"/> that holds the bytes.</summary>
    static Found? Walk(BtfGraph graph, BtfType type, int offset, int size, ref BtfPointerFlags flags, out string error)
    {
        error = "";
        for (var depth = 0; depth < BtfGraph.MaxChain; depth++)
        {
            if (type is not BtfComposite composite)
            {
                error = $"Type '{type.Name}' is not a struct";
                return null;
            }
            var name = composite.Name;
            // Walking a union of several members can only be done through untrusted pointers.
            if (composite.IsUnion && composite.Members.Count != 1) flags |= BtfPointerFlags.Untrusted;
            if ((long)offset + size > composite.Size)
            {
                // A read past the end may fall in a flexible array, the struct's last member: it repeats its element.
                if (composite.Members.Count > 0 && composite.Members[^1] is var last
                    && graph.SkipModifiers(last.Type) is BtfArray { Count: 0 } flexible && offset >= last.BitOffset / 8)
                {
                    var element = graph.SkipModifiers(flexible.ElementType);
                    if (element is BtfInt) return new Found(Step.Scalar, 0, last.Name, 0);
                    if (element is BtfComposite { Size: > 0 } elementStruct)
                    {
                        offset = (int)((offset - last.BitOffset / 8) % elementStruct.Size);
                        type = element;
                        continue;
                    }
                }
                error = $"access beyond struct {name} at off {offset} size {size}";
                return null;
            }
            foreach (var member in composite.Members)
            {
                var memberOffset = (int)(member.BitOffset / 8);
                if (offset + size <= memberOffset) break; // members are in order: none further can hold it
                if (member.BitfieldSize != 0)
                {
                    var endBit = member.BitOffset + (uint)member.BitfieldSize;
                    // The whole bitfield, with the bytes around it, is a number; a part of one is no field.
                    if (offset <= memberOffset && (endBit + 7) / 8 <= offset + size) return new Found(Step.Scalar, 0, member.Name, 0);
                    continue;
                }
                if (offset < memberOffset) break; // a hole
                var (memberType, memberSize) = Resolve(graph, member.Type);
                var memberEnd = memberOffset + memberSize;
                if (offset >= memberEnd) continue;
                if (memberType is BtfArray)
                {
                    var (elementType, elementSize, count) = Element(graph, member.Type);
                    if (count == 0) continue; // an empty array holds nothing
                    memberType = elementType;
                    memberOffset += (offset - memberOffset) / elementSize * elementSize;
                    memberSize = elementSize;
                }
                if (memberType is BtfComposite)
                {
                    if (offset == memberOffset) return new Found(Step.Struct, memberType.Id, member.Name, 0);
                    offset -= memberOffset;
                    type = memberType;
                    goto nextLevel;
                }
                if (memberType is BtfReference { Kind: BtfKind.Pointer } pointer)
                {
                    if (memberSize != size || offset != memberOffset)
                    {
                        error = $"cannot access ptr member {member.Name} with moff {memberOffset} in struct {name} with off {offset} size {size}";
                        return null;
                    }
                    var (target, tags) = PointerTarget(graph, pointer);
                    return target is BtfComposite ? new Found(Step.Pointer, target.Id, member.Name, tags) : new Found(Step.UntrustedMemory, 0, member.Name, 0);
                }
                // Within a number, any bytes up to the member's end (the end of an array of numbers: skb->cb[]).
                if (offset + size > memberEnd && !flags.HasFlag(BtfPointerFlags.Untrusted))
                {
                    error = $"access beyond the end of member {member.Name} (mend:{memberEnd}) in struct {name} with off {offset} size {size}";
                    return null;
                }
                return new Found(Step.Scalar, 0, member.Name, 0);
            }
            error = $"struct {name} doesn't have field at offset {offset}";
            return null;
        nextLevel:;
        }
        error = $"struct {type.Name} nests deeper than BpfSharp follows";
        return null;
    }

    /// <summary>A member's type through typedefs and qualifiers, and its size (a whole array's).</summary>
    static (BtfType Type, int Size) Resolve(BtfGraph graph, int id) => (graph.SkipModifiers(id), (int)Math.Min(graph.SizeOf(id), int.MaxValue));

    /// <summary>An array's innermost element (a multi-dimensional array read as one long row), its size and the number
    /// of elements in all.</summary>
    static (BtfType Element, int Size, long Count) Element(BtfGraph graph, int id)
    {
        long count = 1;
        var type = graph.SkipModifiers(id);
        for (var depth = 0; type is BtfArray array && depth < BtfGraph.MaxChain; depth++)
        {
            count *= array.Count;
            type = graph.SkipModifiers(array.ElementType);
        }
        return (type, (int)Math.Min(graph.SizeOf(type.Id), int.MaxValue), count);
    }

    /// <summary>What a pointer member points to, past its qualifiers, and the flags its type tags give (<c>__rcu</c>).</summary>
    static (BtfType Target, BtfPointerFlags Flags) PointerTarget(BtfGraph graph, BtfReference pointer)
    {
        var flags = BtfPointerFlags.None;
        var type = graph[pointer.Target];
        for (var depth = 0; type is BtfReference { Kind: not BtfKind.Pointer } r && depth < BtfGraph.MaxChain; depth++)
        {
            if (r.Kind == BtfKind.TypeTag && r.Name == "rcu") flags |= BtfPointerFlags.Rcu;
            type = graph[r.Target];
        }
        return (type, flags);
    }
}
