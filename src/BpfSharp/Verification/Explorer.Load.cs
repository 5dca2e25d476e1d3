using BpfSharp.Isa;
using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>lddw (immediates, maps, global data, functions) and the legacy packet loads.</summary>
    int LoadInstruction(VerifierState state, Instruction insn, int pc)
    {
        var regs = state.Registers;
        if (insn.Opcode != Opcode.Lddw)
        {
            LegacyPacketLoad(state, insn, pc);
            return pc + 1;
        }
        var dst = (int)insn.Dst;
        var source = (int)insn.Src;
        if (source == 0)
        {
            regs[dst] = RegisterState.Const((uint)insn.Imm | (ulong)(uint)code[pc + 1].Imm << 32);
            return pc + 2;
        }
        if (source == Bpf.PSEUDO_FUNC)
        {
            regs[dst] = new RegisterState(RegisterKind.Function, Scalar.Const((ulong)(pc + 1 + insn.Imm)));
            return pc + 2;
        }
        if (!input.MapReferences.TryGetValue(pc, out var reference))
            throw Fail(pc, source is Bpf.PSEUDO_MAP_FD or Bpf.PSEUDO_MAP_VALUE
                ? $"fd {insn.Imm} is not pointing to valid bpf_map" : $"unsupported lddw source {source}", state,
                "a map reference the loader did not resolve");
        if (reference.IsValue)
        {
            // Direct value access (global data) exists only for one-element arrays, inside the value.
            if (reference.Map.Type != MapType.Array)
                throw Fail(pc, "no direct value access support for this map type", state, $"'{reference.Map.Name}' is not an array");
            if (reference.Map.MaxEntries != 1 || reference.Offset >= reference.Map.ValueSize)
                throw Fail(pc, $"invalid access to map value pointer, value_size={reference.Map.ValueSize} off={reference.Offset}", state,
                    "only the value of a one-element array can be addressed directly, within its size");
        }
        regs[dst] = reference.IsValue
            ? new RegisterState(RegisterKind.MapValue, Scalar.Const(0), (int)reference.Offset, Map: reference.Map)
            : new RegisterState(RegisterKind.MapPointer, Scalar.Const(0), Map: reference.Map);
        return pc + 2;
    }

    /// <summary>LD_ABS/LD_IND: only where the context is an skb, with the context in r6; r1-r5 are clobbered.</summary>
    void LegacyPacketLoad(VerifierState state, Instruction insn, int pc)
    {
        var regs = state.Registers;
        if (input.Type is not (ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.CgroupSkb))
            throw Fail(pc, "BPF_LD_[ABS|IND] instructions not allowed for this program type", state);
        // Linux allows legacy loads in subprograms whose BTF describes them (a failed load then leaves only that
        // function); line info stands in for the object's BTF here, clang emits both or neither.
        if (state.Frames.Count > 1 && input.Lines.Count == 0)
            throw Fail(pc, "LD_ABS is not allowed in subprogs without BTF", state, "compile with -g so the object carries BTF");
        Read(state, 6, pc);
        // A failed legacy load ends the program at once: no lock may be held, no reference outstanding.
        if (state.Lock is not null)
            throw Fail(pc, "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region", state,
                "release the lock before reading the packet with a legacy load");
        if (state.References.Count > 0)
            throw Fail(pc, "BPF_LD_[ABS|IND] would lead to reference leak", state,
                "a failed legacy load ends the program: release every reference first");
        if (regs[6].Kind != RegisterKind.Context)
            throw Fail(pc, "at the time of BPF_LD_ABS|IND R6 != pointer to skb", state, "legacy packet loads read the packet of the skb in r6");
        if (Bpf.Mode((byte)insn.Opcode) == Bpf.IND) Read(state, (int)insn.Src, pc);
        var size = Bpf.SizeInBytes((byte)insn.Opcode);
        for (var r = 1; r <= 5; r++) regs[r] = RegisterState.NotInit;
        regs[0] = RegisterState.ScalarOf(Scalar.UnsignedRange(0, (1UL << (size * 8)) - 1));
    }
}
