namespace BpfSharp.Abi;

/// <summary>What a dynptr points into (the kernel's <c>enum bpf_dynptr_type</c>, whose numbers the dynptr's bytes
/// hold).</summary>
internal enum DynptrType : byte
{
    Invalid = 0,
    /// <summary>Stack or map value memory (<c>bpf_dynptr_from_mem</c>).</summary>
    Local = 1,
    /// <summary>A ring-buffer record (<c>bpf_ringbuf_reserve_dynptr</c>): a reference, submitted or discarded.</summary>
    Ringbuf = 2,
    /// <summary>The packet of an skb (<c>bpf_dynptr_from_skb</c>).</summary>
    Skb = 3,
    /// <summary>An XDP frame (<c>bpf_dynptr_from_xdp</c>).</summary>
    Xdp = 4,
}
