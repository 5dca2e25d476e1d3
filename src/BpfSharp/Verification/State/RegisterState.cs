using BpfSharp.Maps;
namespace BpfSharp.Verification.State;

/// <summary>What the verifier knows of one register: its kind, for pointers the fixed offset and a variable offset
/// (<see cref="Value"/>), for scalars the value; ids that tie copies together (null checks and bounds learnt on one
/// apply to all), the verified packet range or memory size, the map, the frame, an acquired reference; for a slice of
/// a dynptr, the dynptr's id and whether it is packet memory (which dies when the packet may move, as packet pointers
/// do); for a BTF pointer, the kernel struct it points to.</summary>
internal readonly record struct RegisterState(
    RegisterKind Kind,
    Scalar Value,
    int Offset = 0,
    int Id = 0,
    int Range = 0,
    MapShape? Map = null,
    int Frame = 0,
    int ReferenceId = 0,
    int DynptrId = 0,
    bool PacketSlice = false,
    BtfTarget? Btf = null)
{
    public static readonly RegisterState NotInit = new(RegisterKind.NotInit, Scalar.Const(0));
    public static readonly RegisterState UnknownScalar = new(RegisterKind.Scalar, Scalar.Unknown);

    public static RegisterState ScalarOf(Scalar value) => new(RegisterKind.Scalar, value);

    /// <summary>The kernel's <c>BPF_ADD_CONST</c>: a scalar whose id carries this flag is another scalar of the same
    /// id plus <see cref="Offset"/> (<c>r2 = r1; r2 += 8</c>), so a bound learnt on either moves the other by the
    /// difference (<c>sync_linked_regs</c>).</summary>
    public const int AddConst = 1 << 30;

    /// <summary>The id without <see cref="AddConst"/>: scalars with equal links share it.</summary>
    public int Link => Id & ~AddConst;

    public static RegisterState Const(ulong value) => new(RegisterKind.Scalar, Scalar.Const(value));

    public static RegisterState Pointer(RegisterKind kind, int offset = 0) => new(kind, Scalar.Const(0), offset);

    public bool IsScalar => Kind == RegisterKind.Scalar;

    public bool IsPointer => Kind is not (RegisterKind.NotInit or RegisterKind.Scalar);

    public bool IsNullable => NotNull != Kind;

    /// <summary>Whether a comparison with 0 is decided (<c>reg_not_null</c>): objects the kernel hands out checked;
    /// not the context, the stack, the packet or a function, whose comparisons with 0 both paths follow.</summary>
    public bool NeverNull => Kind is RegisterKind.Sock or RegisterKind.TcpSock or RegisterKind.SockCommon or RegisterKind.MapValue
        or RegisterKind.MapKey or RegisterKind.BtfObject or RegisterKind.UntrustedMemory or RegisterKind.Memory or RegisterKind.MapPointer or RegisterKind.BtfSocket;

    /// <summary>A pointer to a socket's fields (<c>type_is_sk_pointer</c>), read through <c>check_sock_access</c>.</summary>
    public bool IsSocket => Kind is RegisterKind.Sock or RegisterKind.SockCommon or RegisterKind.TcpSock or RegisterKind.XdpSock;

    /// <summary>The kind a pointer of this kind is once checked against NULL; a lookup in a socket map gives the
    /// socket itself (<c>mark_ptr_or_null_reg</c>).</summary>
    public RegisterKind NotNull => Kind switch
    {
        RegisterKind.MapValueOrNull => Map?.Type switch
        {
            MapType.Xskmap => RegisterKind.XdpSock,
            MapType.Sockmap or MapType.Sockhash => RegisterKind.Sock,
            _ => RegisterKind.MapValue,
        },
        RegisterKind.MapPointerOrNull => RegisterKind.MapPointer,
        RegisterKind.SockOrNull => RegisterKind.Sock,
        RegisterKind.SockCommonOrNull => RegisterKind.SockCommon,
        RegisterKind.TcpSockOrNull => RegisterKind.TcpSock,
        RegisterKind.BtfSocketOrNull => RegisterKind.BtfSocket,
        RegisterKind.BtfObjectOrNull => RegisterKind.BtfObject,
        RegisterKind.MemoryOrNull => RegisterKind.Memory,
        RegisterKind.ReadOnlyMemoryOrNull => RegisterKind.ReadOnlyMemory,
        _ => Kind,
    };

    public bool IsPacket => Kind is RegisterKind.Packet or RegisterKind.PacketMeta;

    /// <summary>Whether a state already proven safe covers this one (the kernel's <c>regsafe</c>): a scalar within the
    /// old bounds, a pointer of the same kind at the same offset with at least the old verified range, ids paired the
    /// same way.</summary>
    public bool Within(RegisterState old, IdMap ids, bool precise = true)
    {
        if (old.Kind == RegisterKind.NotInit) return true; // the old path never read it, so any value is as safe
        if (Kind != old.Kind) return false;
        return Kind switch
        {
            RegisterKind.Scalar when !precise => true, // its exact value cannot matter for safety from here on
            RegisterKind.Scalar => (old.Id & AddConst) == (Id & AddConst) && ((old.Id & AddConst) == 0 || old.Offset == Offset) &&
                Value.Within(old.Value) && (old.Id == 0 || ids.Match(old.Id, Id)),
            RegisterKind.Packet or RegisterKind.PacketMeta =>
                Offset == old.Offset && Range >= old.Range && Value.Within(old.Value) && ids.Match(old.Id, Id),
            _ => Offset == old.Offset && Range == old.Range && Map == old.Map && Frame == old.Frame && DynptrId == old.DynptrId && Btf == old.Btf &&
                 Value.Within(old.Value) && ids.Match(old.Id, Id) && ids.Match(old.ReferenceId, ReferenceId),
        };
    }

    /// <summary>The kernel's spelling in its log: <c>scalar(...)</c>, <c>ctx()</c>, <c>fp-8</c>, <c>map_value(...)</c>.</summary>
    public override string ToString() => Kind switch
    {
        RegisterKind.NotInit => "?",
        RegisterKind.Scalar => Value.ToString(),
        RegisterKind.Context => $"ctx({OffsetText()})",
        RegisterKind.Stack => Value.IsConst ? $"fp{Offset + (long)Value.Value}" : $"fp{Offset}(var_off={Value.Bits})",
        RegisterKind.MapPointer => $"map_ptr(map={Map?.Name},ks={Map?.KeySize},vs={Map?.ValueSize})",
        RegisterKind.MapValue => $"map_value(map={Map?.Name},ks={Map?.KeySize},vs={Map?.ValueSize}{OffsetText(",")})",
        RegisterKind.MapValueOrNull => $"map_value_or_null(id={Id},map={Map?.Name},ks={Map?.KeySize},vs={Map?.ValueSize}{OffsetText(",")})",
        RegisterKind.Packet => $"pkt(id={Id}{OffsetText(",")},r={Range})",
        RegisterKind.PacketEnd => "pkt_end()",
        RegisterKind.PacketMeta => $"pkt_meta({OffsetText()}r={Range})",
        RegisterKind.Memory => $"mem(sz={Range}{OffsetText(",")})",
        RegisterKind.MemoryOrNull => $"mem_or_null(id={Id},sz={Range})",
        RegisterKind.ReadOnlyMemory => $"rdonly_mem(sz={Range}{OffsetText(",")})",
        RegisterKind.ReadOnlyMemoryOrNull => $"rdonly_mem_or_null(id={Id},sz={Range})",
        RegisterKind.UntrustedMemory => "rdonly_untrusted_mem(sz=0)",
        RegisterKind.Sock or RegisterKind.SockCommon or RegisterKind.TcpSock => $"{Kind.KernelName()}(ref_obj_id={ReferenceId})",
        RegisterKind.SockOrNull or RegisterKind.SockCommonOrNull or RegisterKind.TcpSockOrNull =>
            $"{Kind.KernelName()}(id={Id},ref_obj_id={ReferenceId})",
        RegisterKind.BtfObject when Btf is { } target => $"{target.KindName}{target.Name}({OffsetText()})",
        RegisterKind.BtfObjectOrNull when Btf is { } target => $"{target.KindName}or_null_{target.Name}(id={Id}{OffsetText(",")})",
        RegisterKind.BtfSocket => $"ptr_tcp_sock(ref_obj_id={ReferenceId})",
        RegisterKind.BtfSocketOrNull => $"ptr_or_null_tcp_sock(id={Id},ref_obj_id={ReferenceId})",
        _ => $"{Kind.ToString().ToLowerInvariant()}({OffsetText()})",
    };

    string OffsetText(string separator = "") =>
        (Offset != 0 ? $"{separator}off={Offset}" : "") + (Value.IsConst ? "" : $"{separator}var_off={Value.Bits}");
}
