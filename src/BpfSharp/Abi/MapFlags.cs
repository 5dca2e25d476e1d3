namespace BpfSharp.Abi;

/// <summary>The kernel's <c>map_flags</c> bits (<c>BPF_F_*</c> in <c>linux/bpf.h</c>), for a map's flags.</summary>
internal static class MapFlags
{
    /// <summary><c>BPF_F_NO_PREALLOC</c>: required by LPM tries; accepted (and ignored) by hash maps, which
    /// BpfSharp always preallocates.</summary>
    public const uint NoPrealloc = 1u << 0;
    /// <summary><c>BPF_F_NO_COMMON_LRU</c>: per-CPU LRU lists (LRU hashes only).</summary>
    public const uint NoCommonLru = 1u << 1;
    /// <summary><c>BPF_F_NUMA_NODE</c>: accepted where the kernel accepts it; without effect here.</summary>
    public const uint NumaNode = 1u << 2;
    /// <summary><c>BPF_F_RDONLY</c>: the host may read but not write the map.</summary>
    public const uint ReadOnly = 1u << 3;
    /// <summary><c>BPF_F_WRONLY</c>: the host may write but not read the map.</summary>
    public const uint WriteOnly = 1u << 4;
    /// <summary><c>BPF_F_STACK_BUILD_ID</c> (stack trace maps).</summary>
    public const uint StackBuildId = 1u << 5;
    /// <summary><c>BPF_F_ZERO_SEED</c>: hash with seed 0 (BpfSharp's hashes are always deterministic).</summary>
    public const uint ZeroSeed = 1u << 6;
    /// <summary><c>BPF_F_RDONLY_PROG</c>: programs may read but not write the values.</summary>
    public const uint ReadOnlyProgram = 1u << 7;
    /// <summary><c>BPF_F_WRONLY_PROG</c>: programs may write but not read the values.</summary>
    public const uint WriteOnlyProgram = 1u << 8;
    /// <summary><c>BPF_F_CLONE</c> (socket storage).</summary>
    public const uint Clone = 1u << 9;
    /// <summary><c>BPF_F_MMAPABLE</c>: arrays only.</summary>
    public const uint Mmapable = 1u << 10;
    /// <summary><c>BPF_F_PRESERVE_ELEMS</c>: perf event arrays only.</summary>
    public const uint PreserveElems = 1u << 11;
    /// <summary><c>BPF_F_INNER_MAP</c>: arrays only; an inner map whose <c>max_entries</c> may differ from the
    /// template's.</summary>
    public const uint InnerMap = 1u << 12;

    /// <summary><c>BPF_F_ACCESS_MASK</c>: the four access flags.</summary>
    internal const uint AccessMask = ReadOnly | WriteOnly | ReadOnlyProgram | WriteOnlyProgram;
}
