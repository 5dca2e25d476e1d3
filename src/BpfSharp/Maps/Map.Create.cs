namespace BpfSharp.Maps;

internal abstract partial class Map
{
    /// <summary>Validates <paramref name="spec"/> as the kernel would, allocates the map's block and registers it.
    /// Throws <see cref="MapException"/> (EINVAL, E2BIG, ENOMEM... as the kernel) naming the map and field.</summary>
    public static Map Create(MapSpec spec, int slots)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        MapChecks.Common(spec);
        Map map;
        try
        {
            map = spec.Type switch
            {
                MapType.Array => new ArrayMap(spec, slots),
                MapType.PercpuArray => new PerCpuArrayMap(spec, slots),
                MapType.Hash => new HashMap(spec, slots),
                MapType.PercpuHash => new PerCpuHashMap(spec, slots),
                MapType.LruHash => new LruHashMap(spec, slots),
                MapType.LruPercpuHash => new LruPerCpuHashMap(spec, slots),
                MapType.ProgArray => new ProgArrayMap(spec, slots),
                MapType.PerfEventArray => new PerfEventArrayMap(spec, slots),
                MapType.Ringbuf => new RingBufMap(spec, slots),
                MapType.Queue => new QueueMap(spec, slots),
                MapType.Stack => new StackMap(spec, slots),
                MapType.LpmTrie => new LpmTrieMap(spec, slots),
                MapType.BloomFilter => new BloomFilterMap(spec, slots),
                MapType.ArrayOfMaps => new ArrayOfMapsMap(spec, slots),
                MapType.HashOfMaps => new HashOfMapsMap(spec, slots),
                MapType.Sockmap or MapType.Sockhash => new SocketMap(spec, slots),
                MapType.StackTrace => new StackTraceMap(spec, slots),
                MapType.Devmap or MapType.DevmapHash => new DeviceMap(spec, slots),
                MapType.Cpumap => new CpuMap(spec, slots),
                MapType.Xskmap => new XskMap(spec, slots),
                MapType.CgroupStorage or MapType.PercpuCgroupStorage => new CgroupStorageMap(spec, slots),
                _ => throw MapChecks.Fail(spec, $"{spec.Type} maps are not supported by BpfSharp", Errno.EOPNOTSUPP),
            };
        }
        catch (OutOfMemoryException e)
        {
            throw new MapException(spec.Name, "create", Errno.ENOMEM, $"cannot allocate the map's memory ({e.Message})");
        }
        catch (OverflowException)
        {
            // a .NET array holds at most 2^31 - 1 elements; the kernel's bpf_map_area_alloc fails with ENOMEM long before
            throw new MapException(spec.Name, "create", Errno.ENOMEM,
                $"cannot allocate the map's memory (max_entries {spec.MaxEntries} is more slots than can be allocated)");
        }
        MapRegistry.Register(map);
        return map;
    }
}
