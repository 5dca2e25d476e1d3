using System.Buffers.Binary;
using BpfSharp.Btf;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>The fields of a map's kernel struct (<c>struct bpf_array</c>, <c>struct bpf_htab</c>: a <c>struct
/// bpf_map</c> named <c>map</c> first) that BpfSharp knows, laid out by the target BTF: type, key and value size,
/// max_entries, flags, map_extra. A program reads them through the map pointer (<c>check_ptr_to_map_access</c>);
/// BpfSharp's map pointers are handles, not such structs, so the loader turns each such read into the constant it
/// gives here. Reads of other fields (the kernel's own bookkeeping) have no value here.</summary>
internal sealed class MapStructImage
{
    readonly byte[] bytes;
    readonly bool[] known;

    MapStructImage(int size)
    {
        bytes = new byte[size];
        known = new bool[size];
    }

    /// <summary>The image of <paramref name="map"/> as its struct <paramref name="structName"/> of
    /// <paramref name="graph"/>, or null when that BTF lays out no such struct.</summary>
    public static MapStructImage? Of(BtfGraph graph, string structName, MapShape map)
    {
        if (graph.Find<BtfComposite>(structName) is not { } outer
            || outer.Members.FirstOrDefault(m => m.Name == "map") is not { BitfieldSize: 0 } member
            || graph.SkipModifiers(member.Type) is not BtfComposite { Name: "bpf_map" } bpfMap)
            return null;
        var image = new MapStructImage((int)outer.Size);
        var at = (int)(member.BitOffset / 8);
        image.Set(graph, bpfMap, at, "map_type", (ulong)map.Type);
        image.Set(graph, bpfMap, at, "key_size", map.KeySize);
        image.Set(graph, bpfMap, at, "value_size", map.ValueSize);
        image.Set(graph, bpfMap, at, "max_entries", map.MaxEntries);
        image.Set(graph, bpfMap, at, "map_flags", map.Flags);
        image.Set(graph, bpfMap, at, "map_extra", 0);
        return image;
    }

    void Set(BtfGraph graph, BtfComposite bpfMap, int structOffset, string field, ulong value)
    {
        if (bpfMap.Members.FirstOrDefault(m => m.Name == field) is not { BitfieldSize: 0 } member) return;
        var at = structOffset + (int)(member.BitOffset / 8);
        var size = (int)graph.SizeOf(member.Type);
        if (size is not (1 or 2 or 4 or 8) || at + size > bytes.Length) return;
        Span<byte> little = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(little, value);
        little[..size].CopyTo(bytes.AsSpan(at));
        known.AsSpan(at, size).Fill(true);
    }

    /// <summary>The number a read of <paramref name="size"/> bytes at <paramref name="offset"/> gives, zero-extended;
    /// null when any of its bytes is not a field BpfSharp knows.</summary>
    public ulong? Read(int offset, int size)
    {
        if (offset < 0 || offset + size > bytes.Length || known.AsSpan(offset, size).Contains(false)) return null;
        Span<byte> little = stackalloc byte[8];
        bytes.AsSpan(offset, size).CopyTo(little);
        return BinaryPrimitives.ReadUInt64LittleEndian(little);
    }
}
