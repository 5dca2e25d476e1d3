using BpfSharp.Btf;
using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>The context of a BTF-typed tracing or LSM program (<c>bpf_tracing_btf_ctx_access</c> and
/// <c>btf_ctx_access</c>, kernel/bpf/btf.c): the traced function's arguments, one u64 slot each, read-only, at
/// offsets that are multiples of 8; for fexit, fmod_ret and LSM programs the slot after the last argument holds the
/// function's return value. A number, an enum, a struct passed by value or a pointer to void or to an integer reads
/// as a number; a pointer to a struct reads as a BTF pointer to it, whole (8 bytes) only; trusted for tp_btf and LSM
/// programs, plain for fentry/fexit (<c>prog_args_trusted</c>); NULL-able for arguments named <c>__nullable</c>. An
/// iterator (<c>iter/task</c>: <c>bpf_iter_task(meta, task)</c>) sees its meta and the object it visits, which is NULL
/// on the last call; it returns 0 or 1.</summary>
internal sealed class TracingRules(TracingTarget target) : ContextRules
{
    public override string Name => $"{target.Name}'s arguments";

    public override int Size => RawTracepointArguments.Size;

    /// <summary>fentry and fexit programs return 0; LSM programs on int hooks an error or 0, checked on the 32-bit
    /// subregister; tp_btf and fmod_ret programs anything.</summary>
    public override (long Min, long Max)? ReturnRange => target.Kind switch
    {
        TracingTarget.Attach.Entry or TracingTarget.Attach.Exit => (0, 0),
        TracingTarget.Attach.Iterator => (0, 1),
        TracingTarget.Attach.Lsm when BoolLsmHooks.Contains(target.Name) => (0, 1),
        TracingTarget.Attach.Lsm when ReturnsInteger => (-MaxErrno, 0),
        _ => null,
    };

    public override bool ReturnRangeIs32Bit => target.Kind == TracingTarget.Attach.Lsm;

    const int MaxErrno = 4095;

    /// <summary>The LSM hooks that return a bool (<c>bool_lsm_hooks</c>).</summary>
    static readonly HashSet<string> BoolLsmHooks = ["xfrm_state_pol_flow_match", "audit_rule_known", "inode_xattr_skipcap"];

    bool ReturnsInteger => target.Graph.SkipModifiers(target.Proto.ReturnType) is BtfInt or BtfEnum;

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        if (offset < 0 || offset >= Size || write || offset % size != 0 || WhyRefused(offset, size, write) is not null) return false;
        if (BtfPointerAt(offset) is { } pointer) loaded = pointer.Kind;
        return true;
    }

    public override string? WhyRefused(int offset, int size, bool write)
    {
        if (offset < 0 || offset >= Size || write || offset % size != 0) return null; // bpf_tracing_ctx_access logs nothing
        if (offset % 8 != 0) return $"func '{target.FunctionName}' offset {offset} is not multiple of 8";
        var (argument, type) = Slot(offset);
        if (type is null) return $"func '{target.FunctionName}' doesn't have {argument + 1}-th argument";
        if (type is BtfInt { Size: <= 8 } && IsReturnSlot(argument) && target.Kind == TracingTarget.Attach.ModifyReturn) return null;
        if (IsReturnSlot(argument) && target.Kind == TracingTarget.Attach.ModifyReturn) return $"ret type {KindText(type)} not allowed for fmod_ret";
        if (type is BtfInt { Size: <= 8 } or BtfEnum or BtfComposite) return null;
        if (type is not BtfReference { Kind: BtfKind.Pointer } pointer)
            return $"func '{target.FunctionName}' arg{argument} '{type.Name}' has type {KindText(type)}. Only pointer access is allowed";
        if (size != 8) return $"func '{target.FunctionName}' size {size} must be 8";
        var pointee = target.Graph.SkipModifiers(pointer.Target);
        if (pointee is BtfVoid or BtfInt or BtfComposite) return null;
        return $"func '{target.FunctionName}' arg{argument} type {KindText(pointee)} is not a struct";
    }

    public override (RegisterKind Kind, BtfTarget Target)? BtfPointerAt(int offset)
    {
        var (argument, type) = Slot(offset);
        if (type is not BtfReference { Kind: BtfKind.Pointer } pointer || target.Graph.SkipModifiers(pointer.Target) is not BtfComposite s)
            return null;
        // prog_args_trusted: tp_btf and iterator arguments, LSM hooks but those that see an object being created or
        // freed; never fentry/fexit/fmod_ret ones.
        var trusted = target.Kind is TracingTarget.Attach.RawTracepoint or TracingTarget.Attach.Iterator
            || target.Kind == TracingTarget.Attach.Lsm && !UntrustedLsmHooks.Contains(target.Name);
        // An iterator's objects after its meta are NULL on the last call (each iterator's ctx_arg_info says so).
        var nullable = argument < target.Arguments.Count && target.Arguments[argument].Name.EndsWith("__nullable", StringComparison.Ordinal)
            || target.Kind == TracingTarget.Attach.Iterator && argument > 0
            || target.Kind == TracingTarget.Attach.RawTracepoint && RawTracepointNullArguments.MayBeNull(target.Name, argument);
        if (target.Kind == TracingTarget.Attach.RawTracepoint && RawTracepointNullArguments.MayBeError(target.Name, argument)) return null;
        return (nullable ? RegisterKind.BtfObjectOrNull : RegisterKind.BtfObject,
            new BtfTarget(target.Graph, s.Id, s.Name, trusted ? BtfPointerFlags.Trusted : BtfPointerFlags.None));
    }

    /// <summary>The LSM hooks whose arguments are not trusted (<c>untrusted_lsm_hooks</c>, kernel/bpf/bpf_lsm.c).</summary>
    static readonly HashSet<string> UntrustedLsmHooks = ["bpf_map_free", "bpf_prog_free", "file_alloc_security", "file_free_security",
        "sk_alloc_security", "sk_free_security", "task_free"];

    bool IsReturnSlot(int argument) => argument == target.Arguments.Count;

    /// <summary>The argument a slot offset falls in and its type past qualifiers, null past the last one (or past
    /// the return value's slot, for the attach kinds that have one). As the kernel's <c>get_ctx_arg_idx</c>, the
    /// index counts the prototype's own parameters (a struct passed by value takes as many slots as its size needs),
    /// tp_btf's hidden first one included, and is then used as an index into the arguments the program sees.</summary>
    (int Argument, BtfType? Type) Slot(int offset)
    {
        var parameters = target.Proto.Parameters;
        var index = parameters.Count + 1;
        var end = 0;
        for (var i = 0; i <= parameters.Count; i++)
        {
            end += SlotBytes(i < parameters.Count ? parameters[i].Type : target.Proto.ReturnType);
            if (offset < end)
            {
                index = i;
                break;
            }
        }
        var arguments = target.Arguments;
        if (index < arguments.Count) return (index, target.Graph.SkipModifiers(arguments[index].Type));
        var hasReturn = target.Kind is TracingTarget.Attach.Exit or TracingTarget.Attach.ModifyReturn or TracingTarget.Attach.Lsm;
        return index == arguments.Count && hasReturn ? (index, target.Graph.SkipModifiers(target.Proto.ReturnType)) : (index, null);
    }

    /// <summary>A value's slots in bytes; a void return has none (fexit of a void function has no return value).</summary>
    int SlotBytes(int type) => target.Graph.SkipModifiers(type) switch
    {
        BtfVoid => 0,
        BtfReference { Kind: BtfKind.Pointer } => 8,
        var t => (int)((target.Graph.SizeOf(t.Id) + 7) / 8 * 8),
    };

    /// <summary>The kernel's <c>btf_type_str</c>.</summary>
    static string KindText(BtfType type) => type.Kind switch
    {
        BtfKind.Void => "UNKNOWN",
        BtfKind.Pointer => "PTR",
        BtfKind.Array => "ARRAY",
        BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION",
        BtfKind.Enum => "ENUM",
        BtfKind.Enum64 => "ENUM64",
        BtfKind.Forward => "FWD",
        BtfKind.Function => "FUNC",
        BtfKind.FunctionProto => "FUNC_PROTO",
        BtfKind.Float => "FLOAT",
        _ => type.Kind.ToString().ToUpperInvariant(),
    };
}
