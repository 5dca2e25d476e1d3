using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>Which registers may still be read from each instruction on (a backward dataflow within each function).
/// States are compared only on live registers, so a dead register holding different values does not stop pruning —
/// the job the kernel's dynamic liveness marks do.</summary>
internal static class Liveness
{
    /// <summary>For each instruction, a bit per register live on entry to it.</summary>
    public static ushort[] Compute(Instruction[] code, ControlFlow flow, Func<int, int> helperArguments, Func<int, int> kfuncArguments)
    {
        var liveIn = new ushort[code.Length];
        bool changed;
        do
        {
            changed = false;
            for (var pc = code.Length - 1; pc >= 0; pc--)
            {
                if (pc > 0 && code[pc - 1].Opcode == Opcode.Lddw) continue; // second slot
                var insn = code[pc];
                var (use, def) = UseDef(insn, helperArguments, kfuncArguments);
                var (first, second) = Successors(code, flow, pc);
                var liveOut = (first >= 0 ? liveIn[first] : 0) | (second >= 0 ? liveIn[second] : 0);
                var value = (ushort)((liveOut & ~def) | use | 1 << 10);
                if (value != liveIn[pc])
                {
                    liveIn[pc] = value;
                    changed = true;
                }
            }
        }
        while (changed);
        return liveIn;
    }

    /// <summary>The instructions control may go to next within the function (a jump target, the next one), -1 for none.</summary>
    static (int Target, int Next) Successors(Instruction[] code, ControlFlow flow, int pc)
    {
        var insn = code[pc];
        if (insn.Opcode == Opcode.Exit) return (-1, -1);
        var target = -1;
        if (ControlFlow.IsJump(insn))
        {
            target = pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset);
            if (insn.Opcode is Opcode.Ja or Opcode.Ja32) return (target, -1);
        }
        var next = pc + (insn.Opcode == Opcode.Lddw ? 2 : 1);
        return (target, next < flow.FunctionEnd(flow.FunctionOf(pc)) ? next : -1);
    }

    static (int Use, int Def) UseDef(Instruction insn, Func<int, int> helperArguments, Func<int, int> kfuncArguments)
    {
        int dst = 1 << (int)insn.Dst, src = 1 << (int)insn.Src;
        var x = Bpf.Source((byte)insn.Opcode) == Bpf.X;
        switch (insn.Class)
        {
            case Bpf.ALU or Bpf.ALU64:
                var op = Bpf.Op((byte)insn.Opcode);
                if (op == Bpf.MOV) return (x ? src : 0, dst);
                if (op == Bpf.END || op == Bpf.NEG) return (dst, dst);
                return (x ? dst | src : dst, dst);
            case Bpf.LDX:
                return (src, dst);
            case Bpf.ST:
                return (dst, 0);
            case Bpf.STX:
                if (Bpf.Mode((byte)insn.Opcode) == Bpf.ATOMIC && insn.Imm == Bpf.LOAD_ACQ) return (src, dst);
                if (Bpf.Mode((byte)insn.Opcode) == Bpf.ATOMIC && insn.Imm == Bpf.STORE_REL) return (dst | src, 0);
                if (insn.Opcode is Opcode.AtomicW or Opcode.AtomicDw)
                    return insn.Imm == Bpf.CMPXCHG ? (dst | src | 1, 1) : (dst | src, (insn.Imm & Bpf.FETCH) != 0 ? src : 0);
                return (dst | src, 0);
            case Bpf.LD:
                if (insn.Opcode == Opcode.Lddw) return (0, dst);
                return (1 << 6 | (Bpf.Mode((byte)insn.Opcode) == Bpf.IND ? src : 0), 0b111111);
            default:
                if (insn.Opcode == Opcode.Exit) return (1, 0);
                if (insn.Opcode == Opcode.Call)
                {
                    var args = insn.Src == 0 ? helperArguments(insn.Imm)
                        : insn.Src == (Register)Bpf.PSEUDO_KFUNC_CALL ? kfuncArguments(insn.Imm) : 5;
                    return ((1 << (args + 1)) - 2, 0b111111);
                }
                if (insn.Opcode is Opcode.Ja or Opcode.Ja32 or Opcode.MayGoto) return (0, 0);
                return (x ? dst | src : dst, 0);
        }
    }
}
