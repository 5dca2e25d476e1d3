using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>Marks numbers as relied on (the kernel's <c>mark_chain_precision</c>): the given registers and stack
    /// slots of the running frame, and, tracing the path back instruction by instruction, whatever they were computed
    /// from in every earlier checkpoint of this path. A checkpoint compares exactly only what is marked, so a counter
    /// that never decided anything does not keep two states apart.</summary>
    void MarkPrecise(VerifierState state, ushort registers, ulong slots)
    {
        registers &= 0x3ff; // r10 is a pointer, never a number
        if (registers == 0 && slots == 0) return;
        var frame = state.Frames.Count - 1;
        var history = state.History;
        var checkpoint = state.Parent;
        while (true)
        {
            for (var i = history.Count - 1; i >= 0 && (registers != 0 || slots != 0); i--)
            {
                if (!Backtrack(code[history[i]], ref registers, ref slots))
                {
                    MarkEverything(checkpoint);
                    return;
                }
            }
            if (checkpoint is null || registers == 0 && slots == 0) return;
            if (checkpoint.PreciseRegisters.Length != frame + 1)
            {
                MarkEverything(checkpoint);
                return;
            }
            // Bits a checkpoint already has were traced further back when it got them.
            var newRegisters = (ushort)(registers & ~checkpoint.PreciseRegisters[frame]);
            var newSlots = slots & ~checkpoint.PreciseSlots[frame];
            checkpoint.PreciseRegisters[frame] |= registers;
            checkpoint.PreciseSlots[frame] |= slots;
            if (newRegisters == 0 && newSlots == 0) return;
            (registers, slots) = (newRegisters, newSlots);
            history = checkpoint.History;
            checkpoint = checkpoint.Parent;
        }
    }

    void MarkPrecise(VerifierState state, int register) => MarkPrecise(state, (ushort)(1 << register), 0);

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
            case Bpf.LDX:
                if ((registers & dstBit) == 0) return true;
                registers &= (ushort)~dstBit;
                if (src == 10 && insn.Offset < 0) slots |= 1UL << FrameState.SlotOf(insn.Offset);
                return true; // a load from elsewhere gives a number the verifier did not know exactly anyway
            case Bpf.ST or Bpf.STX when dst == 10 && insn.Offset < 0 && insn.Opcode is not (Opcode.AtomicW or Opcode.AtomicDw):
            {
                var slot = 1UL << FrameState.SlotOf(insn.Offset);
                if ((slots & slot) == 0) return true;
                slots &= ~slot;
                if (insn.Class == Bpf.STX) registers |= srcBit;
                return true;
            }
            case Bpf.STX when insn.Opcode is Opcode.AtomicW or Opcode.AtomicDw:
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
                    if (insn.Src != 0) return false;
                    registers &= unchecked((ushort)~0b111111); // a helper's result is whatever it returned
                    return true;
                }
                return insn.Opcode != Opcode.Exit;
        }
    }
}
