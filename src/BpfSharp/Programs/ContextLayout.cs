namespace BpfSharp.Programs;

/// <summary>How a program type's context looks to the program and where BpfSharp keeps it. The program sees the uapi
/// struct (<c>struct __sk_buff</c>, <c>struct xdp_md</c>, ...) byte for byte, except for the packet pointer fields
/// that the uapi declares as 32-bit but that hold pointers: the kernel's verifier rewrites loads of those into loads
/// of the real 64-bit pointers (<c>convert_ctx_access</c>), and so does BpfSharp's loader, into a shadow area that
/// follows the struct.</summary>
/// <param name="Name">The uapi struct's name.</param>
/// <param name="Size">The uapi struct's size in bytes.</param>
/// <param name="PointerFields">uapi offset of each 32-bit pointer field → its name.</param>
internal sealed record ContextLayout(string Name, int Size, IReadOnlyDictionary<int, string> PointerFields)
{
    /// <summary>Where the shadow area starts: after the struct, 8-byte aligned.</summary>
    public int ShadowStart => (Size + 7) & ~7;

    /// <summary>Bytes of context memory to allocate: the struct and the shadow pointers.</summary>
    public int AllocationSize => ShadowStart + 8 * PointerFields.Count;

    /// <summary>The shadow offset holding the 64-bit pointer of the field at <paramref name="uapiOffset"/>, or -1.</summary>
    public int ShadowOffset(int uapiOffset)
    {
        if (!PointerFields.ContainsKey(uapiOffset)) return -1;
        // Shadow slots follow the uapi offsets' order; counting the smaller ones avoids sorting on every run.
        var below = 0;
        foreach (var offset in PointerFields.Keys)
            if (offset < uapiOffset) below++;
        return ShadowStart + 8 * below;
    }

    /// <summary><c>struct __sk_buff</c> (socket filters, tc, cgroup skb, lwt): 192 bytes; data, data_end and data_meta are
    /// pointers behind 32-bit fields.</summary>
    public static ContextLayout SkBuff { get; } = new("__sk_buff", 192,
        new Dictionary<int, string> { [76] = "data", [80] = "data_end", [140] = "data_meta" });

    /// <summary><c>struct xdp_md</c>: 24 bytes; data, data_end and data_meta are pointers behind 32-bit fields.</summary>
    public static ContextLayout XdpMd { get; } = new("xdp_md", 24,
        new Dictionary<int, string> { [0] = "data", [4] = "data_end", [8] = "data_meta" });

    /// <summary>A context the host defines, used as it is.</summary>
    public static ContextLayout Raw(string name, int size) => new(name, size, new Dictionary<int, string>());
}
