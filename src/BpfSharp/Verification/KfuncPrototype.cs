using BpfSharp.Abi;
namespace BpfSharp.Verification;

/// <summary>What a kfunc argument must be (the kernel reads it from the kfunc's BTF: <c>get_kfunc_ptr_arg_type</c>).</summary>
internal enum KfuncArgument : byte
{
    /// <summary>A number (a scalar BTF type).</summary>
    Scalar,
    /// <summary>A pointer to an iterator on the program's stack (KF_ARG_PTR_TO_ITER).</summary>
    Iterator,
    /// <summary>Anything, unchecked (an argument named <c>__ign</c>).</summary>
    Ignored,
    /// <summary>The context as the program got it (KF_ARG_PTR_TO_CTX).</summary>
    Context,
    /// <summary>A live dynptr on the stack (KF_ARG_PTR_TO_DYNPTR, <c>const struct bpf_dynptr *</c>).</summary>
    Dynptr,
    /// <summary>16 bytes of stack where the kfunc makes a dynptr (KF_ARG_PTR_TO_DYNPTR named <c>__uninit</c>): of
    /// <see cref="KfuncPrototype.Creates"/>, or for a clone of its parent's type.</summary>
    NewDynptr,
    /// <summary>A buffer or NULL (<c>__opt</c>) whose size, the next argument, must be a constant (<c>__szk</c>):
    /// both registers.</summary>
    OptionalBuffer,
    /// <summary>A number the verifier must know (an argument named <c>__k</c>).</summary>
    Constant,
}

/// <summary>What a kfunc returns, as its BTF type tells the verifier.</summary>
internal enum KfuncReturn : byte
{
    /// <summary>void: r0 holds nothing afterwards.</summary>
    Void,
    /// <summary>A number.</summary>
    Integer,
    /// <summary><c>int *</c> with KF_RET_NULL: 4 read-only bytes (PTR_TO_MEM | MEM_RDONLY), or NULL.</summary>
    ReadOnlyIntOrNull,
    /// <summary>The kernel's own struct behind the program's context (PTR_TO_BTF_ID | PTR_TRUSTED): opaque here.</summary>
    KernelContext,
    /// <summary><c>void *</c> with KF_RET_NULL from a dynptr: as many read-only bytes as the constant size asked, or NULL.</summary>
    DynptrSliceOrNull,
    /// <summary><c>bpf_rdonly_cast</c>'s: an untrusted pointer to the kernel struct its constant names (PTR_TO_BTF_ID |
    /// PTR_UNTRUSTED), or for void read-only untrusted memory.</summary>
    UntrustedCast,
}

/// <summary>An iterator kfunc's part in the iterator's life (KF_ITER_NEW, KF_ITER_NEXT, KF_ITER_DESTROY).</summary>
internal enum IteratorRole : byte
{
    None,
    New,
    Next,
    Destroy,
}

/// <summary>A region a kfunc opens or closes, which every path must close before it exits (RCU read side,
/// preemption off).</summary>
internal enum KfuncRegion : byte
{
    None,
    RcuLock,
    RcuUnlock,
    PreemptDisable,
    PreemptEnable,
}

/// <summary>A kfunc's signature and flags as the verifier checks them (<c>check_kfunc_call</c>).</summary>
/// <param name="Name">The kfunc's name.</param>
/// <param name="Returns">What r0 holds after the call.</param>
/// <param name="Role">Its KF_ITER_* flag.</param>
/// <param name="Iterator">For iterator kfuncs, the iterator's type name (<c>num</c> for <c>struct bpf_iter_num</c>).</param>
/// <param name="IteratorSlots">The iterator's size in 8-byte stack slots.</param>
/// <param name="Arguments">r1, r2... in order.</param>
internal sealed record KfuncPrototype(string Name, KfuncReturn Returns, IteratorRole Role, string? Iterator, int IteratorSlots,
    params KfuncArgument[] Arguments)
{
    /// <summary>Whether a program holding a bpf_spin_lock may call it (<c>kfunc_spin_allowed</c>: the number
    /// iterator's kfuncs).</summary>
    public bool AllowedUnderLock { get; init; }

    /// <summary>The region it opens or closes.</summary>
    public KfuncRegion Region { get; init; }

    /// <summary>The program types whose kfunc set holds it (<c>register_btf_kfunc_id_set</c>); null for all.</summary>
    public IReadOnlyList<ProgramType>? Programs { get; init; }

    /// <summary>The kind of dynptr a <see cref="KfuncArgument.NewDynptr"/> argument gets; Invalid for a clone.</summary>
    public DynptrType Creates { get; init; }

    /// <summary>Whether it may move the packet, so that packet pointers must be loaded again
    /// (<c>is_kfunc_pkt_changing</c>).</summary>
    public bool ChangesPacket { get; init; }

    /// <summary>What the kernel says when it refuses every call of the kfunc once its arguments are checked.</summary>
    public string? Refusal { get; init; }

    /// <summary>A kfunc without iterator or arguments.</summary>
    public static KfuncPrototype Plain(string name, KfuncReturn returns) => new(name, returns, IteratorRole.None, null, 0);
}
