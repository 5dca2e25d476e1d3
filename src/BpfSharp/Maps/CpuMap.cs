using BpfSharp.Abi;
using System.Buffers.Binary;
using BpfSharp.Programs;

namespace BpfSharp.Maps;

/// <summary><c>BPF_MAP_TYPE_CPUMAP</c> (kernel/bpf/cpumap.c): per CPU, the queue an XDP program's
/// <c>bpf_redirect_map</c> hands packets to, for that CPU to build skbs from. A value is the queue's size, or
/// <c>struct bpf_cpumap_val</c> (size, then a program to run on that CPU, which BpfSharp does not run: a program fd
/// fails as the kernel fails an fd that is not a cpumap program, ENOMEM). A key must be a possible CPU: one of the
/// map's execution slots. Only user space reads entries; programs only redirect.</summary>
internal sealed class CpuMap : Map, IRedirectMap
{
    /// <summary>The largest queue the kernel allows (its sanity limit).</summary>
    const uint MaxQueueSize = 16384;

    /// <summary>NR_CPUS of the kernel's configuration (Debian's x86-64 kernels: 8192).</summary>
    const uint ConfiguredCpus = 8192;

    readonly uint[] queueSizes;

    public CpuMap(MapSpec spec, int slots) : base(Checked(spec), slots) => queueSizes = new uint[MaxEntries];

    /// <summary><c>cpu_map_alloc</c>'s checks.</summary>
    static MapSpec Checked(MapSpec spec)
    {
        MapChecks.Flags(spec, MapFlags.NumaNode);
        MapChecks.NonZero(spec, spec.MaxEntries, "max_entries");
        MapChecks.KeySize(spec, 4);
        MapChecks.Require(spec.ValueSize is 4 or 8, spec, $"value_size must be 4 (a queue size) or 8 (struct bpf_cpumap_val) for CPU maps, not {spec.ValueSize}");
        MapChecks.Require(spec.MaxEntries <= ConfiguredCpus, spec, $"max_entries {spec.MaxEntries} is more than the kernel's {ConfiguredCpus} CPUs", Errno.E2BIG);
        return spec;
    }

    public ulong RedirectFlags => 0;

    public RedirectTarget? Target(uint key) =>
        key < MaxEntries && Volatile.Read(ref queueSizes[key]) != 0 ? new RedirectTarget(0, 0) { Map = Name, Key = key, Cpu = (int)key } : null;

    public override int HostLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        var cpu = Index(key);
        if (cpu >= MaxEntries || Volatile.Read(ref queueSizes[cpu]) is not (> 0 and var size)) return -Errno.ENOENT;
        value[..ValueSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(value, size);
        return 0;
    }

    /// <summary><c>cpu_map_update_elem</c>'s checks in order; a size of 0 empties the entry.</summary>
    public override int HostUpdate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags > (ulong)MapUpdateFlags.Exist) return -Errno.EINVAL;
        var cpu = Index(key);
        if (cpu >= MaxEntries) return -Errno.E2BIG;
        if (flags == (ulong)MapUpdateFlags.NoExist) return -Errno.EEXIST;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(value);
        if (size > MaxQueueSize) return -Errno.EOVERFLOW;
        if (cpu >= Slots) return -Errno.ENODEV;
        if (size != 0 && ValueSize == 8 && BinaryPrimitives.ReadInt32LittleEndian(value[4..]) > 0) return -Errno.ENOMEM;
        Volatile.Write(ref queueSizes[cpu], size);
        return 0;
    }

    public override int Delete(ReadOnlySpan<byte> key)
    {
        var cpu = Index(key);
        if (cpu >= MaxEntries) return -Errno.EINVAL;
        Volatile.Write(ref queueSizes[cpu], 0);
        return 0;
    }

    public override int GetNextKey(ReadOnlySpan<byte> key, Span<byte> next) => ArrayNextKey(key, next);

    protected override void Free() { }
}
