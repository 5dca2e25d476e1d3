using System.Buffers.Binary;
using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>LDX, ST, STX and atomics (<c>check_mem_access</c>, <c>check_atomic</c>).</summary>
    void MemoryInstruction(VerifierState state, Instruction insn, int pc)
    {
        var regs = state.Registers;
        var size = Bpf.SizeInBytes((byte)insn.Opcode);
        var mode = Bpf.Mode((byte)insn.Opcode);
        if (insn.Class == Bpf.LDX)
        {
            var address = Read(state, (int)insn.Src, pc);
            var loaded = Access(state, pc, (int)insn.Src, address, insn.Offset, size, write: false, atomic: false, signExtending: mode == Bpf.MEMSX);
            SamePointerKind(state, pc, address.Kind);
            regs[(int)insn.Dst] = mode == Bpf.MEMSX && loaded.IsScalar ? RegisterState.ScalarOf(ScalarAlu.SignExtend(loaded.Value, size * 8, true)) : loaded;
            return;
        }
        if (mode == Bpf.ATOMIC && insn.Imm is Bpf.LOAD_ACQ or Bpf.STORE_REL)
        {
            OrderedAccess(state, insn, pc, size);
            return;
        }
        var target = Read(state, (int)insn.Dst, pc);
        if (mode == Bpf.ATOMIC)
        {
            // check_atomic_rmw, in the kernel's order. A pointer operand is a leak only to unprivileged programs
            // ("R%d leaks addr into mem"); root may store one.
            Read(state, (int)insn.Src, pc);
            if (insn.Imm == Bpf.CMPXCHG) Read(state, 0, pc);
            CheckAtomicBase(state, pc, (int)insn.Dst, target, "stores into");
            // The first read has nowhere to put its value, which the kernel allows the stack only at a fixed offset.
            if (target.Kind == RegisterKind.Stack && !target.Value.IsConst)
                throw Fail(pc, $"variable offset stack pointer cannot be passed into helper function; var_off={target.Value.Bits} " +
                    $"off={target.Offset + insn.Offset} size={size}", state, "an atomic operation on the stack needs a constant offset");
            Access(state, pc, (int)insn.Dst, target, insn.Offset, size, write: false, atomic: true);
            var loadRegister = insn.Imm == Bpf.CMPXCHG ? 0 : (insn.Imm & Bpf.FETCH) != 0 ? (int)insn.Src : -1;
            if (loadRegister >= 0) regs[loadRegister] = RegisterState.ScalarOf(size == 8 ? Scalar.Unknown : Scalar.UnsignedRange(0, uint.MaxValue));
            // The write is checked through the address register as it is now: the fetched value, if it went there.
            Access(state, pc, (int)insn.Dst, regs[(int)insn.Dst], insn.Offset, size, write: true, atomic: true, stored: RegisterState.UnknownScalar);
            return;
        }
        var value = insn.Class == Bpf.STX ? Read(state, (int)insn.Src, pc) : RegisterState.Const((ulong)(long)insn.Imm);
        Store(state, insn, pc, target, value, size, strict: false);
        SamePointerKind(state, pc, target.Kind);
    }

    /// <summary>The kind of pointer each load and store went through first (<c>insn_aux_data.ptr_type</c>).</summary>
    RegisterKind?[]? accessKinds;

    /// <summary><c>save_aux_ptr_type</c>: the kernel rewrites a context or socket access for its field, so one
    /// instruction may not access such an object on one path and other memory on another.</summary>
    void SamePointerKind(VerifierState state, int pc, RegisterKind kind)
    {
        accessKinds ??= new RegisterKind?[code.Length];
        if (accessKinds[pc] is not { } first)
        {
            accessKinds[pc] = kind;
            return;
        }
        // A read of a map's struct becomes a constant only if every path reads that one field there.
        if (first != kind && mapFields?.GetValueOrDefault(pc) is not null)
        {
            mapFields[pc] = null;
            NeedsProbe(pc);
        }
        static bool Rewritten(RegisterKind k) => k is RegisterKind.Context or RegisterKind.Sock or RegisterKind.SockCommon or RegisterKind.TcpSock
            or RegisterKind.XdpSock or RegisterKind.BtfObject or RegisterKind.BtfSocket;
        if (first != kind && (Rewritten(first) || Rewritten(kind)))
            throw Fail(pc, "same insn cannot be used with different pointers", state,
                $"this instruction accessed {KindName(first)} on one path and {KindName(kind)} on another; the kernel rewrites it for one of them");
    }

    void Store(VerifierState state, Instruction insn, int pc, RegisterState target, RegisterState value, int size, bool strict)
    {
        if (insn.Class == Bpf.STX && target.Kind == RegisterKind.Stack && target.Value.IsConst
            && (target.Offset + insn.Offset + (long)target.Value.Value) % 8 == 0 && value.IsScalar && Width(value.Value) <= size * 8)
        {
            // A spill that keeps the whole number is a copy: bounds learnt on either hold for both (the kernel gives
            // the register an id before it spills it).
            value = WithId(value);
            state.Registers[(int)insn.Src] = value;
        }
        Access(state, pc, (int)insn.Dst, target, insn.Offset, size, write: true, atomic: false, stored: value, strict: strict);
    }

    /// <summary>Load-acquire and store-release (<c>check_atomic_load</c>, <c>check_atomic_store</c>): a load or store
    /// checked as one, always for alignment, and then refused where the kernel cannot make it atomic (the context, the
    /// packet, sockets).</summary>
    void OrderedAccess(VerifierState state, Instruction insn, int pc, int size)
    {
        RegisterState address;
        int regno;
        if (insn.Imm == Bpf.LOAD_ACQ)
        {
            (regno, address) = ((int)insn.Src, Read(state, (int)insn.Src, pc));
            var loaded = Access(state, pc, regno, address, insn.Offset, size, write: false, atomic: false, strict: true);
            CheckAtomicBase(state, pc, regno, address, "loads from");
            state.Registers[(int)insn.Dst] = loaded;
            return;
        }
        var value = Read(state, (int)insn.Src, pc);
        (regno, address) = ((int)insn.Dst, Read(state, (int)insn.Dst, pc));
        Store(state, insn, pc, address, value, size, strict: true);
        CheckAtomicBase(state, pc, regno, address, "stores into");
    }

    /// <summary><c>atomic_ptr_type_ok</c>, shared by every atomic: never through the context, the packet or a socket.</summary>
    void CheckAtomicBase(VerifierState state, int pc, int regno, RegisterState address, string verb)
    {
        if (address.Kind is RegisterKind.Context or RegisterKind.Packet or RegisterKind.PacketMeta || address.IsSocket)
            throw Fail(pc, $"BPF_ATOMIC {verb} R{regno} {KindName(address.Kind)} is not allowed", state,
                "atomic operations work on the stack and on map values");
    }

    /// <summary>Checks one access through <paramref name="address"/> (in register <paramref name="regno"/>); for a
    /// read, returns what is read; for a write, records <paramref name="stored"/> where the verifier tracks it. Helpers'
    /// memory arguments (<paramref name="aligned"/> false) may be any size and need no alignment.</summary>
    RegisterState Access(VerifierState state, int pc, int regno, RegisterState address, short insnOffset, int size, bool write,
        bool atomic, RegisterState stored = default, bool aligned = true, bool signExtending = false, bool strict = false)
    {
        var offset = address.Offset + insnOffset;
        // Atomics are always checked strictly (check_atomic passes strict_alignment_once), whatever the machine.
        if (aligned && (input.StrictAlignment || atomic || strict)) CheckStrictAlignment(state, pc, address, insnOffset, size);
        var readResult = NumberRead(size);
        switch (address.Kind)
        {
            case RegisterKind.Stack:
                return StackAccess(state, pc, regno, address, offset, size, write, stored, signExtending);
            case RegisterKind.Context:
            {
                if (atomic) throw Fail(pc, $"BPF_ATOMIC stores into R{regno} ctx is not allowed", state);
                CheckUnmodified(state, pc, regno, address);
                // A field that holds a pointer (data, data_end, data_meta, sk) is never read sign-extending
                // (is_valid_access refuses info->is_ldsx there).
                if (context is null || !context.Allows(offset, size, write, out var loaded) || signExtending && loaded != RegisterKind.Scalar)
                {
                    var why = context?.WhyRefused(offset, size, write);
                    if (why is not null) log?.Add(why);
                    throw Fail(pc, $"invalid bpf_context access off={offset} size={size}", state,
                        why ?? $"{(context?.Name ?? "this context")} has no {(write ? "writable" : "readable")} field of {size} bytes at offset {offset}");
                }
                maxContextOffset = Math.Max(maxContextOffset, offset + size);
                if (write) return default;
                if (loaded == RegisterKind.Scalar) return readResult;
                if (context.BtfPointerAt(offset) is { } btf)
                    return RegisterState.Pointer(btf.Kind) with { Btf = btf.Target, Id = btf.Kind == RegisterKind.BtfObjectOrNull ? NewId() : 0 };
                // A pointer that may be NULL gets an id for its NULL check, as the kernel gives one (check_mem_access).
                var pointer = RegisterState.Pointer(loaded);
                return pointer.IsNullable ? pointer with { Id = NewId() } : pointer;
            }
            case RegisterKind.MapValue:
            {
                var map = address.Map!;
                if (map.SpinLockOffset is { } lockAt && offset + (long)address.Value.UMin < lockAt + 4 && lockAt < offset + (long)address.Value.UMax + size)
                    throw Fail(pc, "bpf_spin_lock cannot be accessed directly by load/store", state,
                        "the lock word is only for bpf_spin_lock and bpf_spin_unlock");
                if (map.TimerOffset is { } timerAt && offset + (long)address.Value.UMin < timerAt + TimerSize && timerAt < offset + (long)address.Value.UMax + size)
                    throw Fail(pc, "bpf_timer cannot be accessed directly by load/store", state,
                        "the timer's 16 bytes belong to the kernel: use the bpf_timer_* helpers");
                CheckBounds(state, pc, regno, address, offset, size, (int)map.ValueSize,
                    (o, s) => $"invalid access to map value, value_size={map.ValueSize} off={o} size={s}");
                if (write && map.ReadOnlyForPrograms)
                    throw Fail(pc, $"write into map forbidden, value_size={map.ValueSize} off={offset} size={size}", state,
                        $"'{map.Name}' is read-only for programs (const globals live in .rodata)");
                if (!write && map.WriteOnlyForPrograms)
                    throw Fail(pc, $"read from map forbidden, value_size={map.ValueSize} off={offset} size={size}", state,
                        $"'{map.Name}' is write-only for programs");
                // check_mem_access: a load at a known offset of a frozen read-only map reads its bytes (bpf_map_direct_read).
                if (!write && aligned && !atomic && map is { ReadOnlyForPrograms: true, FrozenValue: { } frozen } && address.Value.IsConst)
                    return RegisterState.Const(ReadFrozen(frozen, offset + (long)address.Value.Value, size));
                return readResult;
            }
            case RegisterKind.Sock or RegisterKind.SockCommon or RegisterKind.TcpSock or RegisterKind.XdpSock:
            {
                // check_mem_access's socket branch, then check_sock_access.
                if (write) throw Fail(pc, $"R{regno} cannot write into {KindName(address.Kind)}", state, "socket fields are read-only");
                if (!SocketFields.Readable(address.Kind, offset, size))
                    throw Fail(pc, $"R{regno} invalid {KindName(address.Kind)} access off={offset} size={size}", state,
                        $"struct {address.Kind switch { RegisterKind.TcpSock => "bpf_tcp_sock", RegisterKind.XdpSock => "bpf_xdp_sock", _ => "bpf_sock" }} has no readable field of {size} bytes at offset {offset}");
                return readResult;
            }
            case RegisterKind.MapPointer when address.Map is { } map && MapStructName(map.Type) is { } name && (offset < 0 || write):
                // check_ptr_to_map_access's first checks; reads of the struct itself need the kernel's struct bpf_map
                // laid out by vmlinux BTF, which BpfSharp's maps do not have (refused below).
                throw Fail(pc, offset < 0 ? $"R{regno} is {name} invalid negative access: off={offset}" : $"only read from {name} is supported",
                    state, "a map pointer is for helpers; its struct's fields are the kernel's");
            case RegisterKind.MapPointer when address.Map is { } map && MapStructName(map.Type) is { } name && input.KernelBtf is { } btf
                && BtfTarget.Of(btf.Value, name, BtfPointerFlags.None) is { } mapStruct:
            {
                // check_ptr_to_map_access: the map's struct read as a BTF pointer would be.
                var loaded = BtfAccess(state, pc, regno, address, mapStruct, offset, size, write: false);
                NoteMapField(pc, map, mapStruct, offset, size, loaded.IsScalar);
                return loaded;
            }
            case RegisterKind.BtfObject when address.Btf is { } target:
            {
                var loaded = BtfAccess(state, pc, regno, address, target, offset, size, write || atomic);
                NeedsProbe(pc);
                return loaded;
            }
            case RegisterKind.UntrustedMemory when write:
                throw Fail(pc, $"R{regno} cannot write into {KindName(address)}", state, "memory reached through a kernel struct's pointer is read-only");
            case RegisterKind.UntrustedMemory:
                NeedsProbe(pc); // no bounds to check: the load itself gives 0 where nothing is
                return readResult;
            // check_ptr_to_btf_access: the program types BpfSharp verifies have no struct access callback for writes.
            case RegisterKind.BtfObject or RegisterKind.BtfSocket when write:
                throw Fail(pc, "only read is supported", state, "kernel objects are read-only here");
            // check_ptr_to_btf_access: struct tcp_sock's fields by the kernel's BTF (BpfSharp's runs have no TCP
            // socket, so bpf_skc_to_tcp_sock is NULL in them and these reads never run).
            case RegisterKind.BtfSocket when input.KernelBtf is { } btf && BtfTarget.Of(btf.Value, "tcp_sock", BtfPointerFlags.None) is { } tcpSock:
            {
                var loaded = BtfAccess(state, pc, regno, address, tcpSock, offset, size, write: false);
                NeedsProbe(pc);
                return loaded;
            }
            // Without the kernel's BTF there is no layout to read struct tcp_sock by.
            case RegisterKind.BtfSocket:
                throw Fail(pc, $"R{regno} is ptr_tcp_sock: BpfSharp does not read struct tcp_sock's fields through it yet", state,
                    "only NULL checks, casts and bpf_sk_release take this pointer here");
            case RegisterKind.MapKey:
            {
                if (write) throw Fail(pc, $"R{regno} cannot write into map_key", state);
                var map = address.Map!;
                CheckBounds(state, pc, regno, address, offset, size, (int)map.KeySize,
                    (o, s) => $"invalid access to map key, key_size={map.KeySize} off={o} size={s}");
                return readResult;
            }
            case RegisterKind.ReadOnlyMemory when write:
                throw Fail(pc, $"R{regno} cannot write into {KindName(address.Kind)}", state, "this memory is the kernel's, lent to the program to read");
            case RegisterKind.Memory or RegisterKind.ReadOnlyMemory:
                CheckBounds(state, pc, regno, address, offset, size, address.Range,
                    (o, s) => $"invalid access to memory, mem_size={address.Range} off={o} size={s}");
                return readResult;
            case RegisterKind.Packet or RegisterKind.PacketMeta:
            {
                if (atomic) throw Fail(pc, $"BPF_ATOMIC stores into R{regno} pkt is not allowed", state);
                if (write && context is { PacketWritable: false })
                    throw Fail(pc, "cannot write into packet", state, $"{input.Type} programs may read the packet but not change it");
                if (address.Value.SMin < 0)
                    throw Fail(pc, $"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.", state);
                if (offset < 0 || offset + size > address.Range)
                    throw Fail(pc, $"R{regno} offset is outside of the packet", state,
                        $"invalid access to packet, off={offset} size={size}, R{regno}(id={address.Id},off={offset},r={address.Range}): " +
                        $"only {address.Range} bytes past this pointer were checked against data_end; compare (ptr + {offset + size}) with data_end first");
                return readResult;
            }
            default:
                throw InvalidAccess(state, pc, regno, address);
        }
    }

    /// <summary>What a load of <paramref name="size"/> bytes of a number gives: any value that fits, zero-extended.</summary>
    static RegisterState NumberRead(int size) =>
        RegisterState.ScalarOf(size >= 8 ? Scalar.Unknown : Scalar.UnsignedRange(0, (1UL << (size * 8)) - 1));

    /// <summary>A little-endian integer of 1, 2, 4 or 8 bytes, zero-extended (a sign-extending load extends it after).</summary>
    static ulong ReadFrozen(byte[] value, long at, int size)
    {
        var bytes = value.AsSpan((int)at, size);
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
    }

    /// <summary><c>__check_ptr_off_reg</c>: a context pointer is read through, or passed to a helper, only as the
    /// program got it; fields are reached by the instruction's offset.</summary>
    void CheckUnmodified(VerifierState state, int pc, int regno, RegisterState value)
    {
        var name = KindName(value.Kind);
        if (value.Offset < 0)
            throw Fail(pc, $"negative offset {name} ptr R{regno} off={value.Offset} disallowed", state,
                "the context pointer must be used as the program got it: read fields at constant offsets from it");
        if (value.Offset != 0)
            throw Fail(pc, $"dereference of modified {name} ptr R{regno} off={value.Offset} disallowed", state,
                "the context pointer must be used as the program got it: read fields at constant offsets from it");
        if (!value.Value.IsConst || value.Value.Value != 0)
            throw Fail(pc, $"variable {name} access var_off={value.Value.Bits} disallowed", state,
                "context fields must be read at constant offsets");
    }

    /// <summary>BPF_F_STRICT_ALIGNMENT (<c>check_ptr_alignment</c>): the address, with NET_IP_ALIGN (2) added for packets,
    /// must be a multiple of the size.</summary>
    void CheckStrictAlignment(VerifierState state, int pc, RegisterState address, short insnOffset, int size)
    {
        if (address.Kind is RegisterKind.Stack) CheckStackAlignment(state, pc, address, address.Offset + insnOffset, size);
        if (address.Kind is RegisterKind.Stack || size == 1) return;
        var ipAlign = address.IsPacket ? 2 : 0;
        var total = address.Value.Bits.Add(Tnum.Const((ulong)(ipAlign + address.Offset + insnOffset)));
        if ((total.Value & (ulong)(size - 1)) == 0 && (total.Mask & (ulong)(size - 1)) == 0) return;
        var variable = address.Value.IsConst ? $"{(long)address.Value.Value}" : address.Value.Bits.ToString();
        var what = address.Kind switch { RegisterKind.MapValue => "value ", RegisterKind.Context => "context ", RegisterKind.MapKey => "key ", _ => "" };
        throw Fail(pc, address.IsPacket
                ? $"misaligned packet access off {ipAlign}+{variable}+{address.Offset}+{insnOffset} size {size}"
                : $"misaligned {what}access off {variable}+{address.Offset}+{insnOffset} size {size}", state,
            "with strict alignment every access must be aligned to its size");
    }

    /// <summary>The kernel struct behind a map of this type (its <c>map_btf_id</c>), as its messages name it.</summary>
    static string? MapStructName(MapType type) => type switch
    {
        MapType.Array or MapType.PercpuArray or MapType.ProgArray or MapType.PerfEventArray
            or MapType.ArrayOfMaps or MapType.CgroupArray => "bpf_array",
        MapType.Hash or MapType.PercpuHash or MapType.LruHash or MapType.LruPercpuHash
            or MapType.HashOfMaps => "bpf_htab",
        _ => null,
    };

    VerifierException InvalidAccess(VerifierState state, int pc, int regno, RegisterState address) =>
        Fail(pc, $"R{regno} invalid mem access '{KindName(address)}'", state, address.Kind switch
        {
            RegisterKind.Scalar => $"r{regno} holds a number, not a pointer",
            RegisterKind.MapValueOrNull => $"r{regno} may be NULL: bpf_map_lookup_elem returns NULL for a missing key; check it before the access",
            RegisterKind.MemoryOrNull => $"r{regno} may be NULL: bpf_ringbuf_reserve fails when the ring is full; check it before the access",
            RegisterKind.ReadOnlyMemoryOrNull => $"r{regno} may be NULL: an iterator's next returns NULL once it is done, a dynptr slice when the range is not there; check it before the access",
            _ => null,
        });

    /// <summary>[offset + var, offset + var + size) must lie in [0, limit) for every value the variable part may take.</summary>
    void CheckBounds(VerifierState state, int pc, int regno, RegisterState address, int offset, int size, int limit, Func<long, int, string> message)
    {
        var variable = address.Value;
        if (variable.SMin < 0 && !variable.IsConst)
            throw Fail(pc, $"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.", state,
                "the index may be negative: compare it as unsigned, or check it is >= 0");
        const ulong MaxVarOff = 1 << 29;
        if (variable.UMax >= MaxVarOff && !variable.IsConst)
            throw Fail(pc, $"R{regno} unbounded memory access, make sure to bounds check any such access", state,
                "the index has no upper bound: check it against the size before the access");
        // check_mem_region_access: the lowest place first, then the highest.
        var low = offset + (long)variable.UMin;
        var high = offset + (long)(variable.IsConst ? variable.Value : variable.UMax);
        if (low < 0 || high + size > limit)
            throw Fail(pc, message(low < 0 || low + size > limit ? low : high, size), state,
                $"the access [{low}, {high + size}) is outside the {limit} bytes there");
    }

    /// <summary>Stack accesses are always aligned to their size, whatever the machine (check_ptr_alignment's strict).</summary>
    void CheckStackAlignment(VerifierState state, int pc, RegisterState address, int offset, int size)
    {
        var total = address.Value.Bits.Add(Tnum.Const((ulong)offset));
        if (((total.Value | total.Mask) & (ulong)(size - 1)) != 0)
            throw Fail(pc, $"misaligned stack access off {(address.Value.IsConst ? $"{(long)address.Value.Value}" : address.Value.Bits.ToString())}" +
                    $"+{address.Offset}+{offset - address.Offset} size {size}", state,
                "stack accesses must be aligned to their size");
    }

    /// <summary>The stack: constant offsets within the frame, naturally aligned, reading only bytes written before;
    /// whole-register spills keep their state (<c>check_stack_write_fixed_off</c>, <c>check_stack_read_fixed_off</c>).</summary>
    RegisterState StackAccess(VerifierState state, int pc, int regno, RegisterState address, int offset, int size, bool write, RegisterState stored,
        bool signExtending = false)
    {
        var frame = state.Frames[address.Frame];
        CheckStackAlignment(state, pc, address, offset, size);
        // check_stack_access_within_bounds: the signed range of the variable part, every byte in [-512, 0).
        var known = address.Value.IsConst;
        var direction = write ? "write to" : "read from";
        if (!known && (address.Value.SMax >= 1 << 29 || address.Value.SMin <= -(1 << 29)))
            throw Fail(pc, $"invalid unbounded variable-offset {direction} stack R{regno}", state, "bound the offset before the access");
        long low = offset + (known ? (long)address.Value.Value : address.Value.SMin);
        long high = offset + (known ? (long)address.Value.Value : address.Value.SMax);
        if (low < -Bpf.MaxStackSize || low > -1 || high + size > 0)
            throw Fail(pc, known
                    ? $"invalid {direction} stack R{regno} off={low} size={size}"
                    : $"invalid variable-offset {direction} stack R{regno} var_off={address.Value.Bits} off={offset} size={size}",
                state, $"the stack is the {Bpf.MaxStackSize} bytes below r10");
        TouchStackOfFrame(state, pc, address.Frame, (int)low);
        if (write && known && stored.IsPointer && size != 8)
            throw Fail(pc, "invalid size of register spill", state, "a pointer is spilled whole, in 8 bytes");
        if (write)
        {
            DestroyDynptrs(state, pc, frame, low, high + size);
            WriteStack(frame, (int)low, (int)high, size, stored);
            return default;
        }
        for (var at = low; at < high + size; at++)
            if (frame.StackBytes[FrameState.ByteOf((int)at)] is StackByte.Iter or StackByte.Dynptr)
                throw Fail(pc, known ? $"invalid read from stack off {low}+{at - low} size {size}"
                        : $"invalid read from stack R{regno} var_off {address.Value.Bits}+{at - low} size {size}", state,
                    "an iterator's or a dynptr's bytes are only for its helpers and kfuncs");
        return ReadStack(state, pc, frame, (int)low, (int)high, size, signExtending);
    }

    /// <summary>Records how deep a function's frame is used, and the access for bpf_fastcall's contract.</summary>
    void TouchStackOfFrame(VerifierState state, int pc, int frame, int offset)
    {
        var function = flow.FunctionOf(state.Frames[frame].FunctionStart);
        if (-offset > stackDepths[function]) stackDepths[function] = -offset;
        fastcall.Access(function, pc, offset);
    }

    static void WriteStack(FrameState frame, int low, int high, int size, RegisterState stored)
    {
        // A register written at the start of a slot keeps its state: whole (8 bytes, pointers too) or, for numbers,
        // its low bytes (the kernel tracks 32-bit spills of loop counters the same way).
        var spill = low == high && low % 8 == 0 && (size == 8 || stored.IsScalar);
        var slot = FrameState.SlotOf(low);
        frame.Touch(low);
        for (var offset = low; offset < high + size; offset++) ScrubIterator(frame, FrameState.SlotOf(offset));
        // Plain data written at a known offset into a slot holding a spilled register, even next to it, makes every
        // written byte of the slot plain data, zeros too (check_stack_write_fixed_off's scrub_spilled_slot).
        if (low == high && !spill && frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8)] == StackByte.Spill)
            for (var b = 0; b < 8; b++)
                if (frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8 + b)] != StackByte.Invalid)
                    frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8 + b)] = StackByte.Misc;
        for (var offset = low; offset < high + size; offset++)
        {
            var s = FrameState.SlotOf(offset);
            // Overwriting part of a spilled register turns the rest of it into plain bytes.
            if (frame.StackBytes[FrameState.ByteOf(offset)] == StackByte.Spill && !(spill && s == slot))
                for (var b = 0; b < 8; b++)
                    if (frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] == StackByte.Spill)
                        frame.StackBytes[FrameState.ByteOf(-(s + 1) * 8 + b)] = StackByte.Misc;
            frame.StackBytes[FrameState.ByteOf(offset)] = spill ? StackByte.Spill
                : low == high && stored.IsScalar && stored.Value.IsConst && stored.Value.Value == 0 ? StackByte.Zero : StackByte.Misc;
        }
        if (!spill) return;
        for (var b = size; b < 8; b++)
            if (frame.StackBytes[FrameState.ByteOf(low + b)] == StackByte.Spill) frame.StackBytes[FrameState.ByteOf(low + b)] = StackByte.Misc;
        // The whole register is kept (save_register_state), a narrowing spill only losing its link to the register: a
        // zero-extending fill truncates it, a sign-extending one extends from all of it, as the kernel does.
        frame.Spilled[slot] = size == 8 || Width(stored.Value) <= size * 8 ? stored : stored with { Id = 0, Offset = 0 };
    }

    /// <summary>A store into an iterator's slot ends the iterator there: the slot's bytes become plain data (the
    /// kernel's <c>scrub_spilled_slot</c>), so its kfuncs refuse it, and its reference, still held, leaks.</summary>
    static void ScrubIterator(FrameState frame, int slot)
    {
        if (frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8)] != StackByte.Iter) return;
        for (var b = 0; b < 8; b++) frame.StackBytes[FrameState.ByteOf(-(slot + 1) * 8 + b)] = StackByte.Misc;
        frame.SetIterator(slot, default);
    }

    /// <summary>The bits a number needs at most (<c>get_reg_width</c>: the position of its largest value's top bit).</summary>
    static int Width(Scalar value) => 64 - System.Numerics.BitOperations.LeadingZeroCount(value.UMax);

    /// <summary>The number with an id, so that a copy made of it shares what is learnt about it
    /// (<c>assign_scalar_id_before_mov</c>); constants need none.</summary>
    RegisterState WithId(RegisterState value)
    {
        if (!value.IsScalar) return value;
        // A copy of "rY + const" starts a link of its own (assign_scalar_id_before_mov): links do not chain.
        if ((value.Id & RegisterState.AddConst) != 0) value = value with { Id = 0, Offset = 0 };
        return value.Id == 0 && !value.Value.IsConst ? value with { Id = NewId() } : value;
    }

    /// <summary>What a load reads from the stack. A sign-extending load of part of a spill gets the whole spilled
    /// number, which the kernel sign-extends from (<c>coerce_reg_to_size_sx</c> on the copy), not its truncation.</summary>
    RegisterState ReadStack(VerifierState state, int pc, FrameState frame, int low, int high, int size, bool signExtending)
    {
        // The privileged kernel lets programs read stack bytes never written (they read as unknown numbers);
        // BpfSharp's stack is its own memory, so that is safe here too.
        var zeros = 0;
        var spills = 0;
        for (var offset = low; offset < high + size; offset++)
        {
            var kind = frame.StackBytes[FrameState.ByteOf(offset)];
            if (kind == StackByte.Zero) zeros++;
            if (kind == StackByte.Spill) spills++;
        }
        var slotStart = -(FrameState.SlotOf(low) + 1) * 8;
        if (low == high && frame.StackBytes[FrameState.ByteOf(slotStart)] == StackByte.Spill)
        {
            var slot = FrameState.SlotOf(low);
            var spilled = frame.Spilled[slot];
            var spillSize = 1;
            while (spillSize < 8 && frame.StackBytes[FrameState.ByteOf(slotStart + spillSize)] == StackByte.Spill) spillSize++;
            if (size == 8 && spillSize == 8) return spilled;
            if (!spilled.IsScalar)
                throw Fail(pc, $"invalid size of register fill", state, "a spilled pointer must be read back whole (8 bytes)");
            if (low == slotStart && size <= spillSize)
            {
                // A fill that keeps the whole number is a copy of the spill; a narrowing one is a new number.
                if (Width(spilled.Value) > size * 8) return RegisterState.ScalarOf(signExtending ? spilled.Value : spilled.Value.Coerce(size));
                if (size == 4 && spillSize == 4) frame.Spilled[slot] = spilled = WithId(spilled);
                return spilled;
            }
            // Any part of a spilled zero is zero (check_stack_read_fixed_off).
            if (spills == size && spilled.Value.IsConst && spilled.Value.Value == 0) return RegisterState.Const(0);
        }
        return zeros == high + size - low ? RegisterState.Const(0)
            : RegisterState.ScalarOf(size == 8 ? Scalar.Unknown : Scalar.UnsignedRange(0, (1UL << (size * 8)) - 1));
    }
}
