using BpfSharp.Abi;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>After any call: r0 holds the result and r1-r5 nothing.</summary>
    static void AfterCall(VerifierState state, RegisterState result)
    {
        var regs = state.Registers;
        regs[0] = result;
        for (var r = 1; r <= 5; r++) regs[r] = RegisterState.NotInit;
    }

    int Call(VerifierState state, Instruction insn, int pc)
    {
        if (state.Lock is not null && !(insn.Src == Register.R0 && insn.Imm == (int)HelperId.SpinUnlock)
            && !(insn.Src == (Register)Bpf.PSEUDO_KFUNC_CALL && KfuncPrototypes.For(insn.Imm) is { AllowedUnderLock: true }))
            throw Fail(pc, "function calls are not allowed while holding a lock", state,
                "between bpf_spin_lock and bpf_spin_unlock only loads, stores and arithmetic may run");
        if (insn.Src == (Register)Bpf.PSEUDO_CALL) return LocalCall(state, pc + 1 + insn.Imm, pc, isCallback: false);
        if (insn.Src == (Register)Bpf.PSEUDO_KFUNC_CALL) return KfuncCall(state, insn.Imm, pc);
        return HelperCall(state, insn.Imm, pc);
    }

    /// <summary>A BPF-to-BPF call: a new frame with the caller's r1-r5 and a stack of its own.</summary>
    int LocalCall(VerifierState state, int target, int pc, bool isCallback, params RegisterState[] arguments)
    {
        if (state.Frames.Count >= Bpf.MaxCallFrames)
            throw Fail(pc, $"the call stack of {state.Frames.Count + 1} frames is too deep", state,
                "BPF allows 8 nested frames; inline a function or make the recursion a loop");
        var caller = state.Registers;
        var depth = state.Frames.Count;
        var frame = new FrameState
        {
            CallSite = pc, Depth = depth, IsCallback = isCallback, FunctionStart = target,
            CallersBefore = isCallback ? state.Frames.Select(f => f.Clone()).ToList() : null,
        };
        Array.Fill(frame.Registers, RegisterState.NotInit);
        for (var r = 1; r <= 5; r++)
            frame.Registers[r] = isCallback ? (r - 1 < arguments.Length ? arguments[r - 1] : RegisterState.NotInit) : caller[r];
        frame.Registers[10] = RegisterState.Pointer(RegisterKind.Stack) with { Frame = depth };
        state.Frames.Add(frame);
        return target;
    }

    /// <summary>A helper call (<c>check_helper_call</c>): the helper exists for this program, each argument is what its
    /// prototype asks for, the map suits the helper; r0 gets its result, r1-r5 nothing.</summary>
    int HelperCall(VerifierState state, int id, int pc)
    {
        if (id >= KfuncPoison.HelperIdBase && !input.Helpers.IsHostDefined(id))
            throw Fail(pc, $"invalid func unknown#{id}", state,
                "libbpf poisoned this call: it calls a __weak kfunc that is not there (BpfSharp does not provide it); guard it with bpf_ksym_exists()");
        if (id == CorePoison.HelperId)
            throw Fail(pc, $"invalid func unknown#{id}", state,
                "libbpf poisoned this instruction: its CO-RE relocation found no matching type or field in the target BTF; guard it with bpf_core_field_exists() or bpf_core_type_exists()");
        if (input.Helpers.Find(id) is null && id != (int)HelperId.TailCall || !HelperAvailability.Allows(input.Type, id))
            throw Fail(pc, Enum.IsDefined((HelperId)id) ? $"program of this type cannot use helper {HelperNames.KernelName((HelperId)id)}#{id}" : $"invalid func unknown#{id}", state,
                Enum.IsDefined((HelperId)id)
                    ? input.Helpers.Find(id) is null ? $"{HelperNames.KernelName((HelperId)id)} is a kernel helper BpfSharp does not provide" : $"{input.Type} programs cannot call {HelperNames.KernelName((HelperId)id)}"
                    : "no helper has this id");
        var prototype = HelperPrototypes.For(id, input.Helpers.NameOf(id));
        if (prototype.MightSleep && !input.Sleepable)
            throw Fail(pc, "helper call might sleep in a non-sleepable prog", state,
                $"{prototype.Name} may sleep: only sleepable programs (a .s section, such as lsm.s/ or fentry.s/) may call it");
        if (prototype.Attached is { } attached && !(input.Tracing is { } tracing && attached.Allows(tracing)))
            throw Fail(pc, $"program of this type cannot use helper {HelperNames.KernelName((HelperId)id)}#{id}", state, attached.Why);
        // A host's function in a kernel helper's place returns whatever safe C# computed: a number, never memory.
        if (input.Helpers.IsHostDefined(id) && prototype.Returns is not (ReturnKind.Integer or ReturnKind.Void))
            prototype = prototype with { Returns = ReturnKind.Integer };
        var regs = state.Registers;
        MapShape? map = null;
        var memorySize = 0;
        var castReference = 0;
        int? callback = null;
        DynptrSlot dynptr = default;
        for (var i = 0; i < prototype.Arguments.Length; i++)
        {
            var register = i + 1;
            var kind = prototype.Arguments[i];
            if (kind == ArgKind.None) continue;
            var value = Read(state, register, pc);
            switch (kind)
            {
                case ArgKind.MapPointer:
                    if (value.Kind != RegisterKind.MapPointer) throw ArgumentType(state, pc, register, value, "map_ptr");
                    // bpf_timer_init: the map is the one whose value holds the timer. Timers live only in maps the
                    // program names (not in inner maps), whose map_uid is 0.
                    if (map is not null && map != value.Map)
                        throw Fail(pc, "timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0", state,
                            $"the timer is in '{map.Name}', but r2 is '{value.Map!.Name}'");
                    map = value.Map;
                    if (id == (int)HelperId.TailCall && map!.Type != MapType.ProgArray)
                        throw Fail(pc, "expected prog array map for tail call", state, $"'{map.Name}' is not a program array");
                    break;
                case ArgKind.MapKey:
                    CheckMemory(state, pc, register, value, (int)(map?.KeySize ?? 0), write: false, "map key", prototype.PacketAccess);
                    break;
                case ArgKind.MapValue when map?.Type is MapType.Sockmap or MapType.Sockhash:
                    // A socket map's value is a socket (resolve_map_arg_type: ARG_PTR_TO_BTF_ID_SOCK_COMMON).
                    if (!value.IsSocket) throw ArgumentType(state, pc, register, value, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_");
                    break;
                case ArgKind.MapValue:
                    CheckMemory(state, pc, register, value, (int)(map?.ValueSize ?? 0), write: false, "map value", prototype.PacketAccess);
                    break;
                case ArgKind.UninitMapValue:
                    CheckMemory(state, pc, register, value, (int)(map?.ValueSize ?? 0), write: true, "map value", prototype.PacketAccess);
                    break;
                case ArgKind.ReadableMemory or ArgKind.WritableMemory or ArgKind.ReadableMemoryOrNull or ArgKind.WritableMemoryOrNull:
                {
                    var size = Read(state, register + 1, pc);
                    var canBeZero = prototype.Arguments[i + 1] == ArgKind.SizeOrZero;
                    var nullable = kind is ArgKind.ReadableMemoryOrNull or ArgKind.WritableMemoryOrNull;
                    var bytes = CheckSize(state, pc, register + 1, size, canBeZero);
                    memorySize = bytes;
                    MarkPrecise(state, register + 1);
                    if (nullable && IsNull(value))
                    {
                        // Accepted for being exactly 0: a path pruned against this one must have 0 there too.
                        MarkPrecise(state, register);
                        // NULL passes the type check only where the helper takes it, and then only for zero bytes.
                        if (!(canBeZero && bytes == 0))
                            throw Fail(pc, $"R{register} type=scalar expected=fp", state, $"NULL is allowed in r{register} only with a size of 0");
                    }
                    else CheckMemory(state, pc, register, value, bytes, write: kind is ArgKind.WritableMemory or ArgKind.WritableMemoryOrNull, "memory", prototype.PacketAccess);
                    i++;
                    break;
                }
                case ArgKind.ConstString:
                    if (value.Kind != RegisterKind.MapValue || value.Map is not { ReadOnlyForPrograms: true })
                        throw Fail(pc, $"R{register} does not point to a readonly map'", state,
                            "a format or constant string must be a string literal (in .rodata)");
                    CheckMemory(state, pc, register, value, 1, write: false, "string");
                    break;
                // ARG_PTR_TO_FIXED_SIZE_MEM | MEM_ALIGNED: the memory, then its alignment, strictly.
                case ArgKind.WritableLong:
                    CheckMemory(state, pc, register, value, 8, write: true, "result");
                    CheckStrictAlignment(state, pc, value, 0, 8);
                    break;
                case ArgKind.WritableInt:
                    CheckMemory(state, pc, register, value, 4, write: true, "result");
                    CheckStrictAlignment(state, pc, value, 0, 4);
                    break;
                case ArgKind.Context:
                case ArgKind.ContextOrNull when !IsNull(value):
                    if (value.Kind != RegisterKind.Context) throw ArgumentType(state, pc, register, value, "ctx");
                    CheckUnmodified(state, pc, register, value);
                    break;
                case ArgKind.Function:
                    if (value.Kind != RegisterKind.Function) throw ArgumentType(state, pc, register, value, "func");
                    callback = (int)value.Value.Value;
                    break;
                case ArgKind.StackOrNull:
                    if (!IsNull(value) && value.Kind != RegisterKind.Stack) throw ArgumentType(state, pc, register, value, "fp");
                    break;
                case ArgKind.RingBufRecord:
                    if (value.Kind != RegisterKind.Memory || value.ReferenceId == 0 || value.DynptrId != 0)
                        throw Fail(pc, $"R{register} type={KindName(value.Kind)} expected=ringbuf_mem", state,
                            "submit or discard takes the record bpf_ringbuf_reserve returned, after a NULL check");
                    if (value.Offset != 0 || !value.Value.IsConst || value.Value.Value != 0)
                        throw Fail(pc, $"R{register} must have zero offset when passed to release func or trusted arg to kfunc", state);
                    Release(state, value.ReferenceId);
                    break;
                case ArgKind.AllocationSize:
                    if (!value.IsScalar || !value.Value.IsConst)
                        throw Fail(pc, $"R{register} is not a known constant'", state, "the record size must be a constant");
                    memorySize = (int)value.Value.Value;
                    MarkPrecise(state, register);
                    break;
                case ArgKind.SpinLock:
                    SpinLock(state, pc, register, value, take: id == (int)HelperId.SpinLock);
                    break;
                case ArgKind.Timer:
                    if (value.Kind != RegisterKind.MapValue) throw ArgumentType(state, pc, register, value, "map_value");
                    CheckTimerPointer(state, pc, register, value);
                    map = value.Map;
                    break;
                case ArgKind.SockCommon:
                    if (!value.IsSocket) throw ArgumentType(state, pc, register, value, "sock_common, sock, tcp_sock, xdp_sock");
                    castReference = value.ReferenceId;
                    break;
                case ArgKind.NewLocalDynptr or ArgKind.NewRingbufDynptr:
                    if (value.Kind != RegisterKind.Stack) throw ArgumentType(state, pc, register, value, "fp, dynptr_ptr");
                    MakeDynptr(state, pc, register, value, kind == ArgKind.NewRingbufDynptr ? DynptrType.Ringbuf : DynptrType.Local, sharedReference: 0);
                    break;
                case ArgKind.Dynptr:
                    if (value.Kind != RegisterKind.Stack) throw ArgumentType(state, pc, register, value, "fp, dynptr_ptr");
                    dynptr = LiveDynptr(state, pc, register - 1, value);
                    break;
                case ArgKind.ReleasedDynptr:
                    if (value.Kind != RegisterKind.Stack) throw ArgumentType(state, pc, register, value, "fp, dynptr_ptr");
                    if (HeldReference(state, value) == 0)
                        throw Fail(pc, $"arg {register} is an unacquired reference", state,
                            "only a dynptr from bpf_ringbuf_reserve_dynptr (or its clone), not yet submitted or discarded, is released");
                    Release(state, LiveDynptr(state, pc, register - 1, value).ReferenceId);
                    break;
                case ArgKind.BtfPointer:
                    CheckBtfArgument(state, pc, register, value, prototype.BtfStruct!);
                    break;
                case ArgKind.BtfSockCommon:
                    if (!value.IsSocket && value.Kind != RegisterKind.BtfSocket)
                        throw ArgumentType(state, pc, register, value, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_");
                    castReference = value.ReferenceId;
                    break;
                case ArgKind.ReleasedSock:
                    if (!value.IsSocket && value.Kind != RegisterKind.BtfSocket) throw ArgumentType(state, pc, register, value, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_");
                    if (value.ReferenceId == 0) throw Fail(pc, $"R{register} must be referenced when passed to release function", state,
                        "only a socket the program looked up (bpf_sk_lookup_*) is released");
                    Release(state, value.ReferenceId);
                    break;
                default:
                    break;
            }
        }
        if (map is not null)
        {
            // record_func_map, then check_map_func_compatibility: both after the arguments.
            if (map.ReadOnlyForPrograms && (HelperId)id is HelperId.MapUpdateElem or HelperId.MapDeleteElem or HelperId.MapPushElem or HelperId.MapPopElem)
                throw Fail(pc, "write into map forbidden", state, $"'{map.Name}' is read-only for programs");
            CheckMapCompatible(state, pc, id, prototype.Name, map);
        }
        // check_helper_call's own rules for these, after the arguments.
        if (id == (int)HelperId.DynptrFromMem && regs[1].Kind != RegisterKind.MapValue)
            throw Fail(pc, $"Unsupported reg type {KindName(regs[1])} for bpf_dynptr_from_mem data", state,
                "a local dynptr is made over a map value");
        if (id == (int)HelperId.DynptrWrite && dynptr.Type == DynptrType.Skb) InvalidatePacketPointers(state);
        if (id == (int)HelperId.GetLocalStorage && !IsNull(regs[2]))
            throw Fail(pc, "get_local_storage() doesn't support non-zero flags", state, "bpf_get_local_storage takes flags 0");
        if (id == (int)HelperId.TailCall && state.References.Count > 0)
            throw Fail(pc, "tail_call would lead to reference leak", state, "submit or discard ring-buffer records before a tail call");
        if (id == (int)HelperId.TailCall) CheckRegionsClosed(state, pc, "tail_call");
        if (prototype.ChangesPacket) InvalidatePacketPointers(state);

        if (callback is { } timerCallback && id == (int)HelperId.TimerSetCallback)
        {
            // The callback runs later, on its own (push_async_cb): a path of its own from a fresh frame.
            Fork(timerCallback, TimerCallbackState(timerCallback, map!));
            callback = null;
        }
        if (callback is { } target)
        {
            var arguments = id == (int)HelperId.Loop
                ? new[] { RegisterState.UnknownScalar, regs[3] }
                : new[] { regs[1], new RegisterState(RegisterKind.MapKey, Scalar.Const(0), Map: map),
                          new RegisterState(RegisterKind.MapValue, Scalar.Const(0), Map: map), regs[3] };
            return LocalCall(state, target, pc, isCallback: true, arguments);
        }
        var result = prototype.Returns == ReturnKind.DynptrMemoryOrNull ? Slice(dynptr, memorySize, fromHelper: true)
            : Result(state, prototype, map, memorySize, pc);
        AfterCall(state, prototype.CastsArgument ? result with { ReferenceId = castReference } : result);
        return pc + 1;
    }

    RegisterState Result(VerifierState state, HelperPrototype prototype, MapShape? map, int memorySize, int pc) => prototype.Returns switch
    {
        // A map of maps gives the inner map itself, or NULL.
        ReturnKind.MapValueOrNull when map is { Type: MapType.ArrayOfMaps or MapType.HashOfMaps, Inner: { } inner } =>
            new RegisterState(RegisterKind.MapPointerOrNull, Scalar.Const(0), Id: NewId(), Map: inner),
        // An array lookup with a constant key inside the array cannot fail: no NULL check needed.
        ReturnKind.MapValueOrNull when map is { Type: MapType.Array or MapType.PercpuArray } && ConstantKey(state) is { } key && key < map.MaxEntries =>
            KnownElement(state, map),
        // A socket map gives a reference to the socket, to release (is_acquire_function); a socket once checked.
        ReturnKind.MapValueOrNull when map is { Type: MapType.Sockmap or MapType.Sockhash } => Acquire(state, RegisterKind.MapValueOrNull, 0, pc) with { Map = map },
        ReturnKind.MapValueOrNull => new RegisterState(RegisterKind.MapValueOrNull, Scalar.Const(0), Id: NewId(), Map: map),
        ReturnKind.MapValue => new RegisterState(RegisterKind.MapValue, Scalar.Const(0), Map: map),
        ReturnKind.AllocatedMemoryOrNull => Acquire(state, RegisterKind.MemoryOrNull, memorySize, pc),
        // bpf_get_current_task_btf: a trusted task_struct, laid out by the target BTF when it has one.
        ReturnKind.BtfObject => RegisterState.Pointer(RegisterKind.BtfObject) with
        {
            Btf = input.KernelBtf is { } btf ? BtfTarget.Of(btf.Value, "task_struct", BtfPointerFlags.Trusted) : null,
        },
        ReturnKind.Integer when prototype.ReturnsFilledLength => RegisterState.ScalarOf((Scalar.Unknown with
        {
            SMin = -MaxErrno, S32Min = -MaxErrno, SMax = memorySize, S32Max = memorySize,
        }).Sync()),
        ReturnKind.SockOrNull or ReturnKind.SockCommonOrNull or ReturnKind.TcpSockOrNull when prototype.Acquires =>
            Acquire(state, SocketKind(prototype.Returns), 0, pc),
        ReturnKind.SockOrNull or ReturnKind.SockCommonOrNull or ReturnKind.TcpSockOrNull =>
            new RegisterState(SocketKind(prototype.Returns), Scalar.Const(0), Id: NewId()),
        ReturnKind.BtfTcpSockOrNull => new RegisterState(RegisterKind.BtfSocketOrNull, Scalar.Const(0), Id: NewId()),
        _ => RegisterState.UnknownScalar,
    };

    /// <summary>The largest errno a helper returns (MAX_ERRNO).</summary>
    const int MaxErrno = 4095;

    static RegisterKind SocketKind(ReturnKind returns) => returns switch
    {
        ReturnKind.SockOrNull => RegisterKind.SockOrNull,
        ReturnKind.SockCommonOrNull => RegisterKind.SockCommonOrNull,
        _ => RegisterKind.TcpSockOrNull,
    };

    /// <summary>A result the program must release: NULL-checked by the reference's own id, as the kernel numbers it
    /// (an id for the maybe-NULL result, then the reference, which becomes the id too).</summary>
    RegisterState Acquire(VerifierState state, RegisterKind kind, int size, int pc)
    {
        NewId();
        var reference = NewId();
        state.References.Add((reference, pc));
        return new RegisterState(kind, Scalar.Const(0), Id: reference, Range: size, ReferenceId: reference);
    }

    void Release(VerifierState state, int referenceId)
    {
        state.References.RemoveAll(r => r.Id == referenceId);
        foreach (var frame in state.Frames)
        {
            // A ring-buffer dynptr and its clones share the reference (unmark_stack_slots_dynptr).
            for (var s = 1; s < FrameState.Slots; s++)
                if (frame.IsDynptr(s) && frame.DynptrAt(s) is { First: true } dynptr && dynptr.ReferenceId == referenceId)
                    ForgetDynptr(frame, s);
            for (var r = 0; r < frame.Registers.Length; r++)
                if (frame.Registers[r].ReferenceId == referenceId) frame.Registers[r] = RegisterState.UnknownScalar;
            for (var s = 0; s < frame.Spilled.Length; s++)
                if (frame.Spilled[s].ReferenceId == referenceId) frame.Spilled[s] = RegisterState.UnknownScalar;
        }
    }

    VerifierException ArgumentType(VerifierState state, int pc, int register, RegisterState value, string expected) =>
        Fail(pc, $"R{register} type={KindName(value)} expected={expected}", state,
            $"argument {register} of this helper must be a {expected} pointer");

    /// <summary>The size argument: a bounded number, non-negative, zero only where allowed; its largest value.</summary>
    int CheckSize(VerifierState state, int pc, int register, RegisterState size, bool canBeZero)
    {
        if (!size.IsScalar) throw ArgumentType(state, pc, register, size, "scalar");
        if (size.Value.SMin < 0)
            throw Fail(pc, $"R{register} min value is negative, either use unsigned or 'var &= const'", state);
        if (size.Value.UMin == 0 && !canBeZero)
            throw Fail(pc, $"R{register} invalid zero-sized read: u64=[{size.Value.UMin},{size.Value.UMax}]", state, "this helper needs a size of at least 1");
        if (size.Value.UMax >= 1 << 29)
            throw Fail(pc, $"R{register} unbounded memory access, use 'var &= const' or 'if (var < const)'", state,
                "bound the size before passing it");
        return (int)size.Value.UMax;
    }

    /// <summary>Memory a helper reads or writes: every byte inside its region, and for reads, on the stack, written
    /// before (<c>check_helper_mem_access</c>).</summary>
    void CheckMemory(VerifierState state, int pc, int register, RegisterState pointer, int size, bool write, string what,
        bool packetAccess = false)
    {
        if (pointer.Kind is RegisterKind.Packet or RegisterKind.PacketMeta && !packetAccess)
            throw Fail(pc, "helper access to the packet is not allowed", state,
                $"this helper cannot read or write the packet directly: copy the bytes to the stack first");
        switch (pointer.Kind)
        {
            case RegisterKind.Stack:
            {
                // check_stack_access_within_bounds: zero bytes are checked too (a zero-sized access still names a place).
                var direction = write ? "write to" : "read from";
                var known = pointer.Value.IsConst;
                if (!known && (pointer.Value.SMax >= 1 << 29 || pointer.Value.SMin <= -(1 << 29)))
                    throw Fail(pc, $"invalid unbounded variable-offset {direction} stack R{register}", state,
                        $"bound the offset of the {what} passed in r{register}");
                var low = pointer.Offset + (known ? (long)pointer.Value.Value : pointer.Value.SMin);
                var high = pointer.Offset + (known ? (long)pointer.Value.Value : pointer.Value.SMax) + size;
                if (low < -Bpf.MaxStackSize || low > -1 || high > 0)
                    throw Fail(pc, known
                            ? $"invalid {direction} stack R{register} off={low} size={size}"
                            : $"invalid variable-offset {direction} stack R{register} var_off={pointer.Value.Bits} off={pointer.Offset} size={size}", state,
                        $"the {what} passed in r{register} does not fit in the stack");
                if (size == 0) break;
                var frame = state.Frames[pointer.Frame];
                TouchStackOfFrame(state, pc, pointer.Frame, (int)low);
                // The privileged kernel lets helpers read stack bytes never written, as it lets loads read them.
                if (write) frame.Touch((int)low);
                if (!write)
                    for (var offset = low; offset < high; offset++)
                        if (frame.StackBytes[FrameState.ByteOf((int)offset)] is StackByte.Iter or StackByte.Dynptr)
                            throw Fail(pc, $"invalid read from stack R{register} off {low}+{offset - low} size {size}", state,
                                $"the {what} passed in r{register} overlaps an iterator or a dynptr, whose bytes are only for its helpers and kfuncs");
                // check_stack_range_initialized for memory a helper fills: it would write a dynptr behind the
                // verifier's back.
                if (write)
                    for (var offset = low; offset < high; offset++)
                        if (frame.StackBytes[FrameState.ByteOf((int)offset)] == StackByte.Dynptr)
                            throw Fail(pc, $"potential write to dynptr at off={offset} disallowed", state,
                                $"the {what} passed in r{register} overlaps a dynptr");
                if (write)
                    for (var offset = low; offset < high; offset++)
                    {
                        ScrubIterator(frame, FrameState.SlotOf((int)offset));
                        frame.StackBytes[FrameState.ByteOf((int)offset)] = StackByte.Misc;
                    }
                break;
            }
            case RegisterKind.MapValue or RegisterKind.Memory or RegisterKind.Packet or RegisterKind.PacketMeta or RegisterKind.MapKey:
            case RegisterKind.ReadOnlyMemory when !write:
                if (size == 0) break;
                // One access of the whole size, unaligned allowed: the kernel's check_helper_mem_access.
                Access(state, pc, register, pointer, 0, size, write, atomic: false, stored: RegisterState.UnknownScalar, aligned: false);
                break;
            default:
                throw Fail(pc, $"R{register} type={KindName(pointer)} expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_", state,
                    $"the {what} argument must point to the stack, a map value, the packet or ring-buffer memory");
        }
    }

    /// <summary>After a helper that may move or resize the packet, packet pointers and the slices of skb and XDP
    /// dynptrs must be taken again (<c>clear_all_pkt_pointers</c>).</summary>
    static void InvalidatePacketPointers(VerifierState state)
    {
        static bool Dead(RegisterState r) => r.Kind is RegisterKind.Packet or RegisterKind.PacketEnd or RegisterKind.PacketMeta || r.PacketSlice;
        foreach (var frame in state.Frames)
        {
            for (var r = 0; r < frame.Registers.Length; r++)
                if (Dead(frame.Registers[r])) frame.Registers[r] = RegisterState.UnknownScalar;
            for (var s = 0; s < frame.Spilled.Length; s++)
                if (Dead(frame.Spilled[s])) frame.Spilled[s] = RegisterState.UnknownScalar;
        }
    }

    /// <summary>A callback runs any number of times, but was simulated once: what it wrote in its callers' stacks is
    /// only known to be written (<c>STACK_MISC</c>), not known to hold the values of one run. True when its callers'
    /// stacks are not what they were before it ran (so that another run may see something new).</summary>
    static bool ForgetCallbackWrites(VerifierState state, FrameState callback)
    {
        if (callback.CallersBefore is not { } before) return false;
        var changed = false;
        for (var f = 0; f < Math.Min(before.Count, state.Frames.Count); f++)
        {
            var (old, now) = (before[f], state.Frames[f]);
            for (var i = 0; i < now.StackBytes.Length; i++)
            {
                var slot = FrameState.SlotOf(i - FrameState.Slots * 8);
                if (now.StackBytes[i] != old.StackBytes[i] || now.StackBytes[i] == StackByte.Spill && !now.Spilled[slot].Equals(old.Spilled[slot]))
                    now.StackBytes[i] = StackByte.Misc;
                changed |= now.StackBytes[i] != old.StackBytes[i];
            }
        }
        return changed;
    }
}
