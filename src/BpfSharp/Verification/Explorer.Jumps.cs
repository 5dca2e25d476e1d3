using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    int JumpInstruction(VerifierState state, Instruction insn, int pc)
    {
        switch (insn.Opcode)
        {
            case Opcode.Ja: return pc + 1 + insn.Offset;
            case Opcode.Ja32: return pc + 1 + insn.Imm;
            case Opcode.Exit: return Exit(state, pc);
            case Opcode.Call: return Call(state, insn, pc);
            case Opcode.MayGoto: return MayGoto(state, insn, pc);
        }
        return ConditionalJump(state, insn, pc);
    }

    /// <summary>A conditional jump (<c>check_cond_jmp_op</c>): decided when the state decides it, else both ways,
    /// each with what the comparison teaches (bounds, NULL or not, packet range).</summary>
    int ConditionalJump(VerifierState state, Instruction insn, int pc)
    {
        var regs = state.Registers;
        var is32 = insn.Class == Bpf.JMP32;
        var op = Bpf.Op((byte)insn.Opcode);
        var left = Read(state, (int)insn.Dst, pc);
        var useSource = Bpf.Source((byte)insn.Opcode) == Bpf.X;
        var right = useSource ? Read(state, (int)insn.Src, pc) : RegisterState.Const(is32 ? (uint)insn.Imm : (ulong)(long)insn.Imm);
        var target = pc + 1 + insn.Offset;
        state.History.Last = state.History.Last with { Linked = LinkedTo(regs, left, useSource ? right : default) };

        // What the comparison decides comes first: a decided branch goes on in this state, and only a branch both
        // ways needs a copy for the other path.
        bool takenPossible = true, fallPossible = true;
        Scalar takenA = default, takenB = default, fallA = default, fallB = default;
        var scalars = left.IsScalar && right.IsScalar;
        var nullCheck = !scalars && op is Bpf.JEQ or Bpf.JNE && !is32 && (IsNull(right) && left.IsPointer || IsNull(left) && right.IsPointer);
        var pointer = left.IsPointer ? left : right;
        if (scalars)
        {
            var (a, b) = (left.Value, right.Value);
            takenPossible = Comparisons.Refine(op, is32, ref a, ref b, outcome: true, out takenA, out takenB);
            fallPossible = Comparisons.Refine(op, is32, ref a, ref b, outcome: false, out fallA, out fallB);
        }
        else if (nullCheck && pointer.NeverNull)
        {
            // A pointer that cannot be NULL never equals 0.
            takenPossible = op == Bpf.JNE;
            fallPossible = op == Bpf.JEQ;
        }
        var taken = takenPossible && fallPossible ? state.Clone(spares) : state;
        var fallthrough = state;

        if (scalars)
        {
            if (takenPossible) SetScalar(taken, (int)insn.Dst, left, takenA, useSource ? (int)insn.Src : -1, right, takenB);
            if (fallPossible) SetScalar(fallthrough, (int)insn.Dst, left, fallA, useSource ? (int)insn.Src : -1, right, fallB);
        }
        else if (nullCheck)
        {
            if (pointer.IsNullable && !pointer.NeverNull)
            {
                MarkNullness(op == Bpf.JEQ ? taken : fallthrough, pointer.Id, isNull: true);
                MarkNullness(op == Bpf.JEQ ? fallthrough : taken, pointer.Id, isNull: false);
            }
        }
        else if (!is32 && op is Bpf.JGT or Bpf.JGE or Bpf.JLT or Bpf.JLE)
        {
            PacketRange(taken, left, right, op, outcome: true);
            PacketRange(fallthrough, left, right, op, outcome: false);
        }

        if (takenPossible && fallPossible)
        {
            Fork(target, taken);
            return pc + 1;
        }
        // The branch was decided by the numbers compared: paths pruned against this one must have them too.
        if (scalars)
            MarkPrecise(state, (ushort)(1 << (int)insn.Dst | (useSource ? 1 << (int)insn.Src : 0)), 0);
        if (takenPossible) return target;
        if (!fallPossible)
            throw Fail(pc, "both branches of this comparison are impossible", state); // contradictory bounds: a verifier bug
        return pc + 1;
    }

    static bool IsNull(RegisterState r) => r.IsScalar && r.Value.IsConst && r.Value.Value == 0;

    /// <summary>Writes refined scalars back, and to every copy that shares their id (<c>find_equal_scalars</c>).</summary>
    static void SetScalar(VerifierState state, int dst, RegisterState left, Scalar a, int src, RegisterState right, Scalar b)
    {
        Propagate(state, dst, left, a);
        if (src >= 0) Propagate(state, src, right, b);
    }

    /// <summary>The registers that share a link with either scalar operand (both included).</summary>
    static ushort LinkedTo(RegisterState[] regs, RegisterState left, RegisterState right)
    {
        ushort mask = 0;
        for (var r = 0; r < 10; r++)
            if (regs[r].IsScalar && regs[r].Id != 0
                && (left.IsScalar && left.Id != 0 && regs[r].Link == left.Link || right.IsScalar && right.Id != 0 && regs[r].Link == right.Link))
                mask |= (ushort)(1 << r);
        return mask;
    }

    /// <summary>The refined value into the register and everything linked to it (<c>sync_linked_regs</c>): an equal
    /// copy gets the value, one that differs by a constant gets the value plus the difference.</summary>
    static void Propagate(VerifierState state, int register, RegisterState old, Scalar value)
    {
        var known = old with { Value = value };
        state.Registers[register] = known;
        if (old.Id == 0) return;
        RegisterState Sync(RegisterState r)
        {
            if (!r.IsScalar || r.Link != known.Link) return r;
            var linked = (r.Id & RegisterState.AddConst) != 0 || (known.Id & RegisterState.AddConst) != 0;
            if (!linked || r.Offset == known.Offset) return r with { Value = value };
            return r with { Value = ScalarAlu.AddLinked(value, r.Offset - known.Offset) };
        }
        foreach (var frame in state.Frames)
        {
            for (var r = 0; r < frame.Registers.Length; r++)
                if (!(frame == state.Frames[^1] && r == register)) frame.Registers[r] = Sync(frame.Registers[r]);
            for (var s = 0; s < frame.Spilled.Length; s++) frame.Spilled[s] = Sync(frame.Spilled[s]);
        }
    }

    /// <summary>After a NULL check every register and spill with that id is NULL (a zero scalar) or the pointer it
    /// may be (<c>mark_ptr_or_null_regs</c>).</summary>
    static void MarkNullness(VerifierState state, int id, bool isNull)
    {
        var reference = state.Frames.SelectMany(f => f.Registers).FirstOrDefault(r => r.IsNullable && r.Id == id).ReferenceId;
        RegisterState Mark(RegisterState r) =>
            r.IsNullable && r.Id == id
                ? isNull ? RegisterState.Const(0)
                  : r with
                  {
                      Kind = r.NotNull,
                      // The id names the value's spin lock from now on (reg_may_point_to_spin_lock); others drop it.
                      Id = r.ReferenceId != 0 || r.Map?.SpinLockOffset is not null && r.Kind == RegisterKind.MapValueOrNull ? r.Id : 0,
                  }
                : r;
        foreach (var frame in state.Frames)
        {
            for (var r = 0; r < frame.Registers.Length; r++) frame.Registers[r] = Mark(frame.Registers[r]);
            for (var s = 0; s < frame.Spilled.Length; s++) frame.Spilled[s] = Mark(frame.Spilled[s]);
        }
        // A NULL result of the call that acquired the reference needs no release (its id is the reference's); a NULL
        // from a cast of a referenced pointer (bpf_sk_fullsock) leaves the reference held.
        if (isNull && reference == id) state.References.RemoveAll(r => r.Id == reference);
    }

    /// <summary>Comparing a packet pointer with the packet's end proves bytes readable on one side
    /// (<c>find_good_pkt_pointers</c>): pkt + off ≤ end gives a range of off, pkt + off &lt; end one of off + 1.</summary>
    static void PacketRange(VerifierState state, RegisterState left, RegisterState right, byte op, bool outcome)
    {
        RegisterState pointer;
        // Metadata is bounded by the packet's start only: data exactly as the context gave it (reg_is_init_pkt_pointer).
        static bool IsData(RegisterState r) => r.Kind == RegisterKind.Packet && r.Offset == 0 && r.Value.IsConst && r.Value.Value == 0;
        if (left.Kind == RegisterKind.Packet && right.Kind == RegisterKind.PacketEnd || left.Kind == RegisterKind.PacketMeta && IsData(right))
            pointer = left;
        else if (right.Kind == RegisterKind.Packet && left.Kind == RegisterKind.PacketEnd || right.Kind == RegisterKind.PacketMeta && IsData(left))
        {
            pointer = right;
            op = op switch { Bpf.JGT => Bpf.JLT, Bpf.JGE => Bpf.JLE, Bpf.JLT => Bpf.JGT, _ => Bpf.JGE };
        }
        else return;
        // What holds in this branch, as pointer op end.
        if (!outcome) op = op switch { Bpf.JGT => Bpf.JLE, Bpf.JGE => Bpf.JLT, Bpf.JLT => Bpf.JGE, _ => Bpf.JGT };
        int range;
        if (op == Bpf.JLE) range = pointer.Offset;
        else if (op == Bpf.JLT) range = pointer.Offset + 1;
        else return;
        // find_good_pkt_pointers: no range from "pkt + 0 < end", nor beyond MAX_PACKET_OFF (0xffff).
        if (pointer.Offset < 0 || pointer.Offset == 0 || pointer.Value.UMax > 0xffff || pointer.Value.UMax + (ulong)pointer.Offset > 0xffff) return;
        foreach (var frame in state.Frames)
        {
            for (var r = 0; r < frame.Registers.Length; r++)
                if (frame.Registers[r].Kind == pointer.Kind && frame.Registers[r].Id == pointer.Id)
                    frame.Registers[r] = frame.Registers[r] with { Range = Math.Max(frame.Registers[r].Range, range) };
            for (var s = 0; s < frame.Spilled.Length; s++)
                if (frame.Spilled[s].Kind == pointer.Kind && frame.Spilled[s].Id == pointer.Id)
                    frame.Spilled[s] = frame.Spilled[s] with { Range = Math.Max(frame.Spilled[s].Range, range) };
        }
    }
}
