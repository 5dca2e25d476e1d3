using BpfSharp.Cli.Kernel;
using System.Buffers.Binary;
using System.Text.RegularExpressions;
using BpfSharp.Maps;
using BpfSharp.Tests.Verification;

namespace BpfSharp.Tests.Kernel;

/// <summary>One map element as <c>bpftool -j map dump</c> shows it.</summary>
/// <param name="Key">The key bytes (empty for keyless maps).</param>
/// <param name="Value">The value bytes; null for per-CPU maps (see <see cref="PerCpuValues"/>) and unreadable slots.</param>
/// <param name="PerCpuValues">Per-CPU maps: one value per possible CPU, CPU 0 first.</param>
/// <param name="Error">Why the value could not be read (bpftool prints e.g. "Unknown error 524" for perf event arrays).</param>
public sealed record KernelMapEntry(byte[] Key, byte[]? Value, IReadOnlyList<byte[]>? PerCpuValues = null, string? Error = null);

/// <summary>A map as <c>bpftool -j map show</c> describes it, read from <c>struct bpf_map_info</c>.</summary>
/// <param name="Id">The kernel's map id.</param>
/// <param name="Name">The kernel's name (15 characters at most: libbpf names global data "&lt;object prefix&gt;.bss").</param>
/// <param name="Type">bpftool's type name: <c>array</c>, <c>percpu_hash</c>, <c>prog_array</c>, <c>array_of_maps</c>…</param>
/// <param name="KeySize">Key size in bytes.</param>
/// <param name="ValueSize">Value size in bytes.</param>
/// <param name="MaxEntries">max_entries after libbpf's adjustments.</param>
public sealed partial record KernelMapInfo(uint Id, string Name, string Type, int KeySize, int ValueSize, int MaxEntries)
{
    /// <summary>The map behind a descriptor: <c>struct bpf_map_info</c> holds type, id, key_size, value_size and
    /// max_entries as the u32s at bytes 0 to 16, and the name in 16 bytes at byte 24.</summary>
    public static KernelMapInfo Of(int fd)
    {
        var info = BpfSyscall.ObjectInfo(fd, 40);
        uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(offset));
        return new KernelMapInfo(U32(4), BpfSyscall.CString(info.AsSpan(24, 16)), TypeName((MapType)U32(0)),
            (int)U32(8), (int)U32(12), (int)U32(16));
    }

    /// <summary>The name of a map by kernel id (what a map-in-map holds).</summary>
    public static string NameOfId(uint id)
    {
        var fd = BpfSyscall.GetFdById(id, map: true);
        if (fd < 0) throw new KernelOracleException($"no map with id {id}: {ErrnoNames.Name(-fd)}");
        try
        {
            return Of(fd).Name;
        }
        finally
        {
            BpfSyscall.Close(fd);
        }
    }

    /// <summary>bpftool's name of a map type: the kernel's <c>BPF_MAP_TYPE_PERCPU_ARRAY</c> in lower case without the
    /// prefix, <c>percpu_array</c>.</summary>
    static string TypeName(MapType type) => Enum.IsDefined(type)
        ? WordStart().Replace(type.ToString(), "_$1").ToLowerInvariant()
        : $"type {(int)type}";

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();

    /// <summary>One value per CPU.</summary>
    public bool IsPerCpu => Type is "percpu_array" or "percpu_hash" or "lru_percpu_hash" or "percpu_cgroup_storage";

    /// <summary>Values are program ids (prog_array) or map ids (map-in-map).</summary>
    public bool HoldsIds => Type is "prog_array" or "array_of_maps" or "hash_of_maps";

    /// <summary>Read by popping, not by dumping.</summary>
    public bool IsQueueOrStack => Type is "queue" or "stack";
}
