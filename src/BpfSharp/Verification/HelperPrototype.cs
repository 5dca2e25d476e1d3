namespace BpfSharp.Verification;

/// <summary>The kinds of helper arguments the verifier checks (the kernel's <c>enum bpf_arg_type</c>).</summary>
internal enum ArgKind : byte
{
    /// <summary>Not passed.</summary>
    None,
    /// <summary>Any initialised value (ARG_ANYTHING).</summary>
    Anything,
    /// <summary>A map (ARG_CONST_MAP_PTR).</summary>
    MapPointer,
    /// <summary>Readable memory holding a key of the map in the first argument (ARG_PTR_TO_MAP_KEY).</summary>
    MapKey,
    /// <summary>Readable memory holding a value of that map (ARG_PTR_TO_MAP_VALUE).</summary>
    MapValue,
    /// <summary>Writable memory the helper fills with a value of that map (ARG_PTR_TO_MAP_VALUE | MEM_UNINIT).</summary>
    UninitMapValue,
    /// <summary>Readable, initialised memory whose size is the next argument (ARG_PTR_TO_MEM | MEM_RDONLY).</summary>
    ReadableMemory,
    /// <summary>Writable memory the helper fills, size in the next argument (ARG_PTR_TO_UNINIT_MEM).</summary>
    WritableMemory,
    /// <summary>A NUL-terminated string in read-only memory, such as a format in .rodata (ARG_PTR_TO_CONST_STR).</summary>
    ConstString,
    /// <summary>Writable memory of 8 bytes the helper fills (ARG_PTR_TO_FIXED_SIZE_MEM, strtol's result).</summary>
    WritableLong,
    /// <summary>4 bytes the helper reads and writes back (ARG_PTR_TO_FIXED_SIZE_MEM | MEM_WRITE, bpf_check_mtu's mtu_len).</summary>
    WritableInt,
    /// <summary>Readable memory or NULL, size in the next argument (ARG_PTR_TO_MEM | MEM_RDONLY | PTR_MAYBE_NULL).</summary>
    ReadableMemoryOrNull,
    /// <summary>Writable memory or NULL, size in the next argument (ARG_PTR_TO_MEM_OR_NULL, bpf_snprintf's buffer).</summary>
    WritableMemoryOrNull,
    /// <summary>The size of the previous memory argument, a bounded constant-ish scalar (ARG_CONST_SIZE).</summary>
    Size,
    /// <summary>A size that may be zero (ARG_CONST_SIZE_OR_ZERO).</summary>
    SizeOrZero,
    /// <summary>The context (ARG_PTR_TO_CTX).</summary>
    Context,
    /// <summary>The context or NULL (ARG_PTR_TO_CTX_OR_NULL, bpf_get_netns_cookie's).</summary>
    ContextOrNull,
    /// <summary>A function of the program, run as a callback (ARG_PTR_TO_FUNC).</summary>
    Function,
    /// <summary>Callback context: a stack pointer or NULL (ARG_PTR_TO_STACK_OR_NULL).</summary>
    StackOrNull,
    /// <summary>A ring-buffer record from bpf_ringbuf_reserve, released by this call (ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE).</summary>
    RingBufRecord,
    /// <summary>A constant used by the verifier (ARG_CONST_ALLOC_SIZE_OR_ZERO for ringbuf reserve).</summary>
    AllocationSize,
    /// <summary>A pointer to a spin lock inside a map value (ARG_PTR_TO_SPIN_LOCK).</summary>
    SpinLock,
    /// <summary>A pointer to the <c>struct bpf_timer</c> inside a map value (ARG_PTR_TO_TIMER).</summary>
    Timer,
    /// <summary>Any socket pointer, checked against NULL (ARG_PTR_TO_SOCK_COMMON).</summary>
    SockCommon,
    /// <summary>A socket the program acquired, released by this call (ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE).</summary>
    ReleasedSock,
    /// <summary>16 bytes of stack where the helper makes a local dynptr (ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_LOCAL | MEM_UNINIT).</summary>
    NewLocalDynptr,
    /// <summary>16 bytes of stack where the helper makes a ring-buffer dynptr, a reference (DYNPTR_TYPE_RINGBUF | MEM_UNINIT).</summary>
    NewRingbufDynptr,
    /// <summary>Any socket pointer, a BTF-typed one included (ARG_PTR_TO_BTF_ID_SOCK_COMMON: the bpf_skc_to_* casts).</summary>
    BtfSockCommon,
    /// <summary>A live dynptr on the stack (ARG_PTR_TO_DYNPTR | MEM_RDONLY).</summary>
    Dynptr,
    /// <summary>A ring-buffer dynptr released by this call (ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | OBJ_RELEASE).</summary>
    ReleasedDynptr,
    /// <summary>A plain, trusted or RCU BTF pointer to the kernel struct <see cref="HelperPrototype.BtfStruct"/> names
    /// (ARG_PTR_TO_BTF_ID: the task of bpf_get_task_stack, the seq_file of bpf_seq_write).</summary>
    BtfPointer,
}

/// <summary>What a helper returns, for the verifier (the kernel's <c>enum bpf_return_type</c>).</summary>
internal enum ReturnKind : byte
{
    /// <summary>A number (RET_INTEGER).</summary>
    Integer,
    /// <summary>Nothing usable (RET_VOID).</summary>
    Void,
    /// <summary>A map value or NULL (RET_PTR_TO_MAP_VALUE_OR_NULL).</summary>
    MapValueOrNull,
    /// <summary>A map value, never NULL (RET_PTR_TO_MAP_VALUE: a cgroup storage).</summary>
    MapValue,
    /// <summary>Memory of the size in the second argument, or NULL; a reference to release (ringbuf reserve).</summary>
    AllocatedMemoryOrNull,
    /// <summary>The current task (RET_PTR_TO_BTF_ID).</summary>
    BtfObject,
    /// <summary>A full socket or NULL (RET_PTR_TO_SOCKET_OR_NULL).</summary>
    SockOrNull,
    /// <summary>Any socket or NULL (RET_PTR_TO_SOCK_COMMON_OR_NULL).</summary>
    SockCommonOrNull,
    /// <summary>A TCP socket's counters or NULL (RET_PTR_TO_TCP_SOCK_OR_NULL).</summary>
    TcpSockOrNull,
    /// <summary>A kernel <c>struct tcp_sock</c> or NULL (RET_PTR_TO_BTF_ID_OR_NULL).</summary>
    BtfTcpSockOrNull,
    /// <summary>Memory of a dynptr of the size in the last argument, or NULL (RET_PTR_TO_DYNPTR_MEM_OR_NULL).</summary>
    DynptrMemoryOrNull,
}

/// <summary>A helper's signature as the verifier checks it.</summary>
internal sealed record HelperPrototype(string Name, ReturnKind Returns, params ArgKind[] Arguments)
{
    /// <summary>For a <see cref="ArgKind.BtfPointer"/> argument, the kernel struct it points to.</summary>
    public string? BtfStruct { get; init; }

    /// <summary>Whether the helper may sleep (<c>might_sleep</c>: bpf_copy_from_user), so only sleepable programs
    /// (<c>.s</c> sections) may call it.</summary>
    public bool MightSleep { get; init; }

    /// <summary>For helpers <c>tracing_prog_func_proto</c> gives only to some BTF-typed programs, which may call it
    /// (the function-argument helpers: those with a trampoline; the seq helpers: iterators), with why; null for any.</summary>
    public (Func<TracingTarget, bool> Allows, string Why)? Attached { get; init; }

    /// <summary>Whether the helper may change packet data (pointers into the packet are invalid afterwards).</summary>
    public bool ChangesPacket { get; init; }

    /// <summary>Whether memory arguments may point into the packet (the kernel's <c>pkt_access</c>: map helpers and
    /// <c>bpf_csum_diff</c>); other helpers, <c>bpf_skb_load_bytes</c> among them, take stack or map memory only.</summary>
    public bool PacketAccess { get; init; }

    /// <summary>Whether the result holds a reference the program must release (<c>is_acquire_function</c>: the socket
    /// lookups).</summary>
    public bool Acquires { get; init; }

    /// <summary>Whether the result is the socket argument seen as another type, holding its reference
    /// (<c>is_ptr_cast_function</c>: bpf_sk_fullsock, bpf_tcp_sock).</summary>
    public bool CastsArgument { get; init; }

    /// <summary>Whether the result is how many bytes of the memory argument were filled, or -errno: at least -4095
    /// and at most the size argument's maximum (<c>do_refine_retval_range</c>: bpf_get_stack, the string reads).</summary>
    public bool ReturnsFilledLength { get; init; }
}
