namespace BpfSharp.Tests.Kernel;

/// <summary>One map element as <c>bpftool -j map dump</c> shows it.</summary>
/// <param name="Key">The key bytes (empty for keyless maps).</param>
/// <param name="Value">The value bytes; null for per-CPU maps (see <see cref="PerCpuValues"/>) and unreadable slots.</param>
/// <param name="PerCpuValues">Per-CPU maps: one value per possible CPU, CPU 0 first.</param>
/// <param name="Error">Why the value could not be read (bpftool prints e.g. "Unknown error 524" for perf event arrays).</param>
public sealed record KernelMapEntry(byte[] Key, byte[]? Value, IReadOnlyList<byte[]>? PerCpuValues = null, string? Error = null);

/// <summary>A map as <c>bpftool -j map show</c> describes it.</summary>
/// <param name="Id">The kernel's map id.</param>
/// <param name="Name">The kernel's name (15 characters at most: libbpf names global data "&lt;object prefix&gt;.bss").</param>
/// <param name="Type">bpftool's type name: <c>array</c>, <c>percpu_hash</c>, <c>prog_array</c>, <c>array_of_maps</c>…</param>
/// <param name="KeySize">Key size in bytes.</param>
/// <param name="ValueSize">Value size in bytes.</param>
/// <param name="MaxEntries">max_entries after libbpf's adjustments.</param>
public sealed record KernelMapInfo(uint Id, string Name, string Type, int KeySize, int ValueSize, int MaxEntries)
{
    /// <summary>One value per CPU.</summary>
    public bool IsPerCpu => Type is "percpu_array" or "percpu_hash" or "lru_percpu_hash" or "percpu_cgroup_storage";

    /// <summary>Values are program ids (prog_array) or map ids (map-in-map).</summary>
    public bool HoldsIds => Type is "prog_array" or "array_of_maps" or "hash_of_maps";

    /// <summary>Read by popping, not by dumping.</summary>
    public bool IsQueueOrStack => Type is "queue" or "stack";
}
