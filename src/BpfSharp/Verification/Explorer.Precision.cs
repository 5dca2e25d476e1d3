using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>Marks numbers as relied on (the kernel's <c>mark_chain_precision</c>): the given registers and stack
    /// slots of the running frame, and, tracing the path back instruction by instruction, whatever they were computed
    /// from in every earlier checkpoint of this path. A checkpoint compares exactly only what is marked, so a counter
    /// that never decided anything does not keep two states apart.
    /// <para>Called while an instruction is checked, for what it reads: the trace starts before that instruction,
    /// which the path already records (the kernel's <c>skip_first</c>).</para></summary>
    void MarkPrecise(VerifierState state, ushort registers, ulong slots)
    {
        Span<ushort> byFrame = stackalloc ushort[state.Frames.Count];
        Span<ulong> slotsByFrame = stackalloc ulong[state.Frames.Count];
        byFrame[^1] = registers;
        slotsByFrame[^1] = slots;
        MarkPrecise(state, byFrame, slotsByFrame, skipCurrent: true);
    }

    void MarkPrecise(VerifierState state, int register) => MarkPrecise(state, (ushort)(1 << register), 0);

    /// <summary>The same with marks in any frame (a pruned path inherits every frame's marks of the state that covered
    /// it). The trace follows calls and returns: backwards over a return the caller's r0 becomes the callee's, over a
    /// call the callee's r1-r5 become the caller's; what a frame's own code computed stays in that frame.</summary>
    void MarkPrecise(VerifierState state, ReadOnlySpan<ushort> registersByFrame, ReadOnlySpan<ulong> slotsByFrame, bool skipCurrent = false)
    {
        // Sized for the deepest chain: going back over a return enters a frame the state no longer has.
        Span<ushort> registers = stackalloc ushort[Bpf.MaxCallFrames];
        Span<ulong> slots = stackalloc ulong[Bpf.MaxCallFrames];
        for (var f = 0; f < registersByFrame.Length; f++)
            (registers[f], slots[f]) = ((ushort)(registersByFrame[f] & 0x3ff), slotsByFrame[f]); // r10 is a pointer, never a number
        if (!Any(registers, slots)) return;
        var frame = state.Frames.Count - 1;
        var history = state.History;
        var checkpoint = state.Parent;
        while (true)
        {
            foreach (var step in history.Backwards())
            {
                if (skipCurrent)
                {
                    skipCurrent = false;
                    continue;
                }
                if (!Any(registers, slots)) break;
                if (step.Frame == frame && (registers[frame] & step.Linked) != 0) registers[frame] |= step.Linked;
                var followed = step.Frame == frame
                    ? Backtrack(code[step.Pc], ref registers[frame], ref slots[frame])
                    : CrossFrames(step, ref frame, registers, slots);
                if (!followed)
                {
                    MarkEverything(checkpoint);
                    return;
                }
            }
            skipCurrent = false;
            if (checkpoint is null || !Any(registers, slots)) return;
            if (checkpoint.PreciseRegisters.Length != frame + 1 || Any(registers[(frame + 1)..], slots[(frame + 1)..]))
            {
                MarkEverything(checkpoint);
                return;
            }
            // Bits a checkpoint already has were traced further back when it got them.
            for (var f = 0; f <= frame; f++)
            {
                var newRegisters = (ushort)(registers[f] & ~checkpoint.PreciseRegisters[f]);
                var newSlots = slots[f] & ~checkpoint.PreciseSlots[f];
                checkpoint.PreciseRegisters[f] |= registers[f];
                checkpoint.PreciseSlots[f] |= slots[f];
                (registers[f], slots[f]) = (newRegisters, newSlots);
            }
            if (!Any(registers, slots)) return;
            history = checkpoint.History;
            checkpoint = checkpoint.Parent;
        }
    }

    /// <summary>Moves the marks across a frame boundary met going backwards: <paramref name="step"/> is a subprogram's
    /// exit (into the callee) or the call that entered the frame being traced (into the caller). False for what the
    /// trace cannot follow: a callback entered from a helper, or marks on a callee's entry that a call does not pass.</summary>
    bool CrossFrames(PathStep step, ref int frame, Span<ushort> registers, Span<ulong> slots)
    {
        var insn = code[step.Pc];
        if (step.Frame == frame + 1 && insn.Opcode == Opcode.Exit)
        {
            // The caller's r0 after the call is the callee's r0 at its exit; r1-r5 were not set by the return.
            registers[frame + 1] = (ushort)(registers[frame] & 1);
            registers[frame] &= unchecked((ushort)~0b111111);
            frame++;
            return true;
        }
        if (step.Frame == frame - 1 && insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL)
        {
            // A callee starts with the caller's r1-r5 and an empty stack; nothing else of its own can matter.
            if ((registers[frame] & ~0b111110) != 0 || slots[frame] != 0) return false;
            registers[frame - 1] |= registers[frame];
            registers[frame] = 0;
            frame--;
            return true;
        }
        return false;
    }

    static bool Any(ReadOnlySpan<ushort> registers, ReadOnlySpan<ulong> slots) =>
        registers.ContainsAnyExcept((ushort)0) || slots.ContainsAnyExcept(0UL);

    /// <summary>When the trace leaves the frame (a call or a return on the way), everything above is marked, as the
    /// kernel falls back to for what it cannot trace.</summary>
    static void MarkEverything(Checkpoint? checkpoint)
    {
        for (; checkpoint is not null; checkpoint = checkpoint.Parent)
        {
            Array.Fill(checkpoint.PreciseRegisters, ushort.MaxValue);
            Array.Fill(checkpoint.PreciseSlots, ulong.MaxValue);
        }
    }

    /// <summary>One step back (<c>backtrack_insn</c>): which registers and slots the needed ones came from before this
    /// instruction. False when the instruction leaves the frame.</summary>
    static bool Backtrack(Instruction insn, ref ushort registers, ref ulong slots)
    {
        int dst = (int)insn.Dst, src = (int)insn.Src;
        var dstBit = (ushort)(1 << dst);
        var srcBit = (ushort)(1 << src);
        var fromRegister = Bpf.Source((byte)insn.Opcode) == Bpf.X;
        var atomic = insn.Class == Bpf.STX && Bpf.Mode((byte)insn.Opcode) == Bpf.ATOMIC;
        // A load-acquire is a load, a store-release a store; the rest of the atomics read and write.
        var readModifyWrite = atomic && insn.Imm is not (Bpf.LOAD_ACQ or Bpf.STORE_REL);
        switch (insn.Class)
        {
            case Bpf.ALU or Bpf.ALU64:
                if ((registers & dstBit) == 0) return true;
                if (Bpf.Op((byte)insn.Opcode) == Bpf.MOV)
                {
                    registers &= (ushort)~dstBit;
                    if (fromRegister) registers |= srcBit;
                }
                else if (fromRegister && Bpf.Op((byte)insn.Opcode) != Bpf.END)
                    registers |= srcBit;
                return true;
            case Bpf.STX when atomic && insn.Imm == Bpf.LOAD_ACQ:
            case Bpf.LDX:
                if ((registers & dstBit) == 0) return true;
                registers &= (ushort)~dstBit;
                if (src == 10 && insn.Offset < 0) slots |= 1UL << FrameState.SlotOf(insn.Offset);
                return true; // a load from elsewhere is exact only from a frozen map, whose bytes never change
            case Bpf.ST or Bpf.STX when dst == 10 && insn.Offset < 0 && !readModifyWrite:
            {
                var slot = 1UL << FrameState.SlotOf(insn.Offset);
                if ((slots & slot) == 0) return true;
                slots &= ~slot;
                if (insn.Class == Bpf.STX) registers |= srcBit;
                return true;
            }
            case Bpf.STX when readModifyWrite:
                if (insn.Imm == Bpf.CMPXCHG) registers &= unchecked((ushort)~1);
                else if ((insn.Imm & Bpf.FETCH) != 0) registers &= (ushort)~srcBit;
                return true;
            case Bpf.LD:
                if (insn.Opcode == Opcode.Lddw) registers &= (ushort)~dstBit;
                else registers &= unchecked((ushort)~1);
                return true;
            default:
                if (insn.Opcode == Opcode.Call)
                {
                    if (insn.Src == (Register)Bpf.PSEUDO_CALL) return false;
                    registers &= unchecked((ushort)~0b111111); // a helper's or kfunc's result is whatever it returned
                    return true;
                }
                // dst <cond> src: a needed operand was refined by the other, which is needed too.
                if (fromRegister && insn.Opcode != Opcode.Exit && (registers & (dstBit | srcBit)) != 0) registers |= (ushort)(dstBit | srcBit);
                return insn.Opcode != Opcode.Exit;
        }
    }
}
