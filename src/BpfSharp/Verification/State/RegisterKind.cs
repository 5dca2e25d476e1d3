namespace BpfSharp.Verification.State;

/// <summary>What a register holds, as the kernel's <c>enum bpf_reg_type</c> distinguishes it.</summary>
internal enum RegisterKind : byte
{
    /// <summary>Never written (NOT_INIT): reading it is an error.</summary>
    NotInit,
    /// <summary>A number (SCALAR_VALUE).</summary>
    Scalar,
    /// <summary>The context (PTR_TO_CTX).</summary>
    Context,
    /// <summary>A frame's stack (PTR_TO_STACK).</summary>
    Stack,
    /// <summary>A map itself, for helpers (CONST_PTR_TO_MAP).</summary>
    MapPointer,
    /// <summary>An inner map looked up in a map of maps, not yet checked against NULL.</summary>
    MapPointerOrNull,
    /// <summary>A map value (PTR_TO_MAP_VALUE).</summary>
    MapValue,
    /// <summary>A lookup result not yet checked against NULL (PTR_TO_MAP_VALUE | PTR_MAYBE_NULL).</summary>
    MapValueOrNull,
    /// <summary>A map key handed to a callback (PTR_TO_MAP_KEY).</summary>
    MapKey,
    /// <summary>Packet data (PTR_TO_PACKET), readable up to its verified range.</summary>
    Packet,
    /// <summary>The packet's end (PTR_TO_PACKET_END).</summary>
    PacketEnd,
    /// <summary>Packet metadata (PTR_TO_PACKET_META).</summary>
    PacketMeta,
    /// <summary>Memory of a known size (PTR_TO_MEM: a ring-buffer record, a raw host buffer).</summary>
    Memory,
    /// <summary>Memory not yet checked against NULL (ringbuf reserve's result).</summary>
    MemoryOrNull,
    /// <summary>Memory a program may read but not write (PTR_TO_MEM | MEM_RDONLY: the number bpf_iter_num_next returns).</summary>
    ReadOnlyMemory,
    /// <summary>Read-only memory not yet checked against NULL (bpf_iter_num_next's result).</summary>
    ReadOnlyMemoryOrNull,
    /// <summary>A kernel struct by its BTF type (PTR_TO_BTF_ID: a traced function's argument, the current task, a
    /// field read out of another): read field by field as the target BTF lays it out, by probe loads; without a
    /// known type (<see cref="RegisterState.Btf"/> null), opaque.</summary>
    BtfObject,
    /// <summary>A BTF pointer that may be NULL (PTR_TO_BTF_ID | PTR_MAYBE_NULL: a <c>__nullable</c> argument).</summary>
    BtfObjectOrNull,
    /// <summary>What a pointer field of a kernel struct points to when it is not a struct (PTR_TO_MEM | MEM_RDONLY |
    /// PTR_UNTRUSTED, since Linux 6.17): any read, by probe loads, gives a number; no write.</summary>
    UntrustedMemory,
    /// <summary>A function of the program (PTR_TO_FUNC, for callbacks).</summary>
    Function,
    /// <summary>A full socket, <c>struct bpf_sock</c> (PTR_TO_SOCKET): a lookup's result after its NULL check.</summary>
    Sock,
    /// <summary>A socket lookup's result before its NULL check (PTR_TO_SOCKET_OR_NULL).</summary>
    SockOrNull,
    /// <summary>The part every socket has, a request or time-wait one included (PTR_TO_SOCK_COMMON).</summary>
    SockCommon,
    /// <summary>bpf_skc_lookup_tcp's result before its NULL check (PTR_TO_SOCK_COMMON_OR_NULL).</summary>
    SockCommonOrNull,
    /// <summary>A TCP socket's counters, <c>struct bpf_tcp_sock</c> (PTR_TO_TCP_SOCK).</summary>
    TcpSock,
    /// <summary>bpf_tcp_sock's result before its NULL check (PTR_TO_TCP_SOCK_OR_NULL).</summary>
    TcpSockOrNull,
    /// <summary>A kernel socket struct by its BTF type (PTR_TO_BTF_ID of <c>struct tcp_sock</c>): a
    /// <c>bpf_skc_to_tcp_sock</c> result after its NULL check.</summary>
    BtfSocket,
    /// <summary><c>bpf_skc_to_tcp_sock</c>'s result before its NULL check (PTR_TO_BTF_ID | PTR_MAYBE_NULL).</summary>
    BtfSocketOrNull,
    /// <summary>An AF_XDP socket, <c>struct bpf_xdp_sock</c> (PTR_TO_XDP_SOCK): an xskmap lookup after its NULL check.</summary>
    XdpSock,
}
