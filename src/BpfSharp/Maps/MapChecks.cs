using BpfSharp.Abi;
namespace BpfSharp.Maps;

/// <summary>The attribute checks of the kernel's <c>map_alloc_check</c> functions, shared by the map kinds. Each
/// failure names the map and the field, with the errno the kernel returns.</summary>
internal static class MapChecks
{
    /// <summary>The kernel's KMALLOC_MAX_SIZE on x86-64 (4 MiB), which bounds several sizes.</summary>
    public const long KmallocMaxSize = 4L << 20;

    /// <summary>PCPU_MIN_UNIT_SIZE: the largest per-CPU value.</summary>
    public const int PerCpuMaxValue = 32 << 10;

    public static MapException Fail(MapSpec spec, string detail, int errno = Errno.EINVAL) => new(spec.Name, "create", errno, detail);

    public static void Require(bool condition, MapSpec spec, string detail, int errno = Errno.EINVAL)
    {
        if (!condition) throw Fail(spec, detail, errno);
    }

    /// <summary>Only the <paramref name="allowed"/> flags, and not both program-access flags
    /// (<c>bpf_map_flags_access_ok</c>).</summary>
    public static void Flags(MapSpec spec, uint allowed)
    {
        var extra = spec.Flags & ~allowed;
        Require(extra == 0, spec, $"map_flags 0x{extra:x} are not allowed for {spec.Type} maps");
        const uint both = MapFlags.ReadOnlyProgram | MapFlags.WriteOnlyProgram;
        Require((spec.Flags & both) != both, spec, "map_flags has both BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG");
    }

    public static void KeySize(MapSpec spec, uint expected) =>
        Require(spec.KeySize == expected, spec, $"key_size must be {expected} for {spec.Type} maps, not {spec.KeySize}");

    public static void ValueSize(MapSpec spec, uint expected) =>
        Require(spec.ValueSize == expected, spec, $"value_size must be {expected} for {spec.Type} maps, not {spec.ValueSize}");

    public static void NonZero(MapSpec spec, uint value, string field) =>
        Require(value != 0, spec, $"{field} must not be 0");

    /// <summary>The checks of <c>map_create</c> itself, before the kind's own.</summary>
    public static void Common(MapSpec spec)
    {
        Require(spec.MapExtra == 0 || spec.Type == MapType.BloomFilter, spec, $"map_extra must be 0 for {spec.Type} maps");
        const uint both = MapFlags.ReadOnly | MapFlags.WriteOnly;
        Require((spec.Flags & both) != both, spec, "map_flags has both BPF_F_RDONLY and BPF_F_WRONLY");
    }

    /// <summary><c>cgroup_storage_map_alloc</c>: a key of <c>struct bpf_cgroup_storage_key</c> (16 bytes with its
    /// padding) or a u64; max_entries 0 (the storage is per cgroup); a value of up to 65407 bytes (the local storage
    /// limit, as Linux 6.18 measured) or, per CPU, 32 KiB.</summary>
    public static void CgroupStorage(MapSpec spec)
    {
        Flags(spec, MapFlags.NumaNode | MapFlags.AccessMask);
        Require(spec.KeySize is 16 or 8, spec, $"key_size must be 16 (struct bpf_cgroup_storage_key) or 8 for {spec.Type} maps, not {spec.KeySize}");
        NonZero(spec, spec.ValueSize, "value_size");
        var limit = spec.Type == MapType.PercpuCgroupStorage ? PerCpuMaxValue : CgroupStorageMaxValue;
        Require(spec.ValueSize <= limit, spec, $"value_size {spec.ValueSize} is larger than {spec.Type}'s {limit} bytes", Errno.E2BIG);
        Require(spec.MaxEntries == 0, spec, $"max_entries must be 0 for {spec.Type} maps (one value per cgroup), not {spec.MaxEntries}");
    }

    /// <summary>BPF_LOCAL_STORAGE_MAX_VALUE_SIZE on Linux 6.18 x86-64: U16_MAX less a storage element's header.</summary>
    const int CgroupStorageMaxValue = 65407;

    /// <summary>The template of an array or hash of maps (<c>bpf_map_meta_alloc</c>).</summary>
    public static void InnerTemplate(MapSpec spec)
    {
        var inner = spec.InnerMap ?? throw Fail(spec, "a map of maps needs an inner map template (InnerMap)");
        Require(inner.Type is not (MapType.ArrayOfMaps or MapType.HashOfMaps), spec, "an inner map cannot itself be a map of maps");
        Require(inner.Type != MapType.ProgArray, spec, "a program array cannot be an inner map", Errno.ENOTSUPP);
    }

    const uint ArrayFlags = MapFlags.NumaNode | MapFlags.Mmapable | MapFlags.AccessMask | MapFlags.PreserveElems | MapFlags.InnerMap;

    /// <summary><c>array_map_alloc_check</c>: the array kinds.</summary>
    public static void Array(MapSpec spec)
    {
        var percpu = spec.Type == MapType.PercpuArray;
        Flags(spec, ArrayFlags);
        Require(!(percpu && (spec.Flags & MapFlags.NumaNode) != 0), spec, "BPF_F_NUMA_NODE is not allowed for per-CPU arrays");
        Require(spec.Type == MapType.Array || (spec.Flags & (MapFlags.Mmapable | MapFlags.InnerMap)) == 0, spec,
            "BPF_F_MMAPABLE and BPF_F_INNER_MAP are only for Array maps");
        Require(spec.Type == MapType.PerfEventArray || (spec.Flags & MapFlags.PreserveElems) == 0, spec,
            "BPF_F_PRESERVE_ELEMS is only for PerfEventArray maps");
        NonZero(spec, spec.MaxEntries, "max_entries");
        KeySize(spec, 4);
        NonZero(spec, spec.ValueSize, "value_size");
        Require(spec.ValueSize <= int.MaxValue - 7, spec, $"value_size {spec.ValueSize} is larger than INT_MAX", Errno.E2BIG);
        Require(!percpu || Map.Round8((int)spec.ValueSize) <= PerCpuMaxValue, spec,
            $"value_size {spec.ValueSize} is larger than a per-CPU unit ({PerCpuMaxValue} bytes)", Errno.E2BIG);
    }

    /// <summary><c>fd_array_map_alloc_check</c>: arrays whose values are references (programs, events, maps).</summary>
    public static void FdArray(MapSpec spec)
    {
        ValueSize(spec, 4);
        Require((spec.Flags & (MapFlags.ReadOnlyProgram | MapFlags.WriteOnlyProgram)) == 0, spec,
            $"BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG are not allowed for {spec.Type} maps");
        Array(spec);
    }

    const uint HashFlags = MapFlags.NoPrealloc | MapFlags.NoCommonLru | MapFlags.NumaNode | MapFlags.AccessMask | MapFlags.ZeroSeed;

    /// <summary><c>htab_map_alloc_check</c> and the bucket-count limit of <c>htab_map_alloc</c>.</summary>
    public static void Hash(MapSpec spec)
    {
        var percpu = spec.Type is MapType.PercpuHash or MapType.LruPercpuHash;
        var lru = spec.Type is MapType.LruHash or MapType.LruPercpuHash;
        Require(!(lru && (spec.Flags & MapFlags.NoPrealloc) != 0), spec, "LRU hashes are always preallocated (BPF_F_NO_PREALLOC)", Errno.ENOTSUPP);
        Flags(spec, HashFlags);
        Require(lru || (spec.Flags & MapFlags.NoCommonLru) == 0, spec, "BPF_F_NO_COMMON_LRU is only for LRU hashes");
        NonZero(spec, spec.MaxEntries, "max_entries");
        NonZero(spec, spec.KeySize, "key_size");
        NonZero(spec, spec.ValueSize, "value_size");
        Require((long)spec.KeySize + spec.ValueSize < KmallocMaxSize - HashElementHeader, spec,
            $"key_size + value_size ({(long)spec.KeySize + spec.ValueSize}) is too large", Errno.E2BIG);
        Require(!percpu || Map.Round8((int)spec.ValueSize) <= PerCpuMaxValue, spec,
            $"value_size {spec.ValueSize} is larger than a per-CPU unit ({PerCpuMaxValue} bytes)", Errno.E2BIG);
        Require(spec.MaxEntries <= MaxHashEntries, spec, $"max_entries {spec.MaxEntries} needs too many buckets", Errno.E2BIG);
    }

    /// <summary>sizeof(struct htab_elem) on x86-64, which the size limit subtracts.</summary>
    const int HashElementHeader = 48;

    /// <summary>The most entries <c>htab_map_alloc</c> accepts (it makes a power-of-two number of buckets and bounds
    /// their memory): measured on Linux 6.18, 2^27 loads and 2^27 + 1 gives E2BIG.</summary>
    public const uint MaxHashEntries = 1u << 27;
}
