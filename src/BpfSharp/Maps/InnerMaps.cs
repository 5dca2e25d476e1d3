using BpfSharp.Abi;
namespace BpfSharp.Maps;

/// <summary>The rules of kernel/bpf/map_in_map.c for the values of arrays and hashes of maps.</summary>
internal static class InnerMaps
{
    /// <summary>Validates the template by creating it, as the kernel's caller must (it passes a real map's fd), so
    /// the template gets exactly a real map's checks.</summary>
    public static void CheckTemplate(MapSpec spec)
    {
        MapChecks.InnerTemplate(spec);
        Map.Create(spec.InnerMap!, 1).Release();
    }

    /// <summary><c>bpf_map_meta_equal</c>: same type, key and value sizes and flags; the same max_entries too unless
    /// the template has BPF_F_INNER_MAP.</summary>
    public static bool Fits(MapSpec template, Map inner) =>
        inner.Type == template.Type && inner.Spec.KeySize == template.KeySize && inner.Spec.ValueSize == template.ValueSize
        && inner.Spec.Flags == template.Flags
        && (inner.MaxEntries == template.MaxEntries || (template.Flags & MapFlags.InnerMap) != 0);

    /// <summary>Takes a reference on a map to store: EINVAL if it does not fit the template, EBADF if it is gone.</summary>
    public static int Acquire(MapSpec outer, Map inner)
    {
        if (!Fits(outer.InnerMap!, inner)) return -Errno.EINVAL;
        return inner.TryAddReference() ? 0 : -Errno.EBADF;
    }

    /// <summary>The map a host passes by id (where the kernel takes an fd): EBADF when none is live.</summary>
    public static Map? ById(ReadOnlySpan<byte> value) =>
        MapRegistry.FindById(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(value)) is { IsAlive: true } map ? map : null;
}
