using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Which registers each function exchanges with its callers beyond its arguments. Methods take r1-r5 and
/// return r0, but the interpreter shares one register file between frames: a callee sees its caller's r0 and r6-r9
/// until it writes them, and the caller sees the callee's last r1-r5 after the call. Verified code never looks (the
/// kernel's verifier calls such registers uninitialised), so for clang's code both sets are empty and nothing is
/// copied; an unverified program gets exactly the interpreter's values through <see cref="Invocation.Registers"/>.
/// Solved by backward liveness in every function, repeated until no function's sets grow. What liveness cannot see
/// (a tail call from a subprogram whose caller reads r1-r5 afterwards: the target's last values) travels at run time
/// as the hand-back flag, bit 0 of the floor argument (see <see cref="FunctionEmitter"/>).</summary>
internal static class Liveness
{
    /// <summary>r1-r5, r0 and r6-r9, r0-r9 as bit masks (bit n = rn).</summary>
    public const int Args = 0x3E, Extras = 0x3C1, All = 0x3FF;

    public static void Solve(ProgramShape shape)
    {
        foreach (var f in shape.Functions.Values) f.Out = 0;
        bool changed;
        do
        {
            changed = false;
            foreach (var f in shape.Functions.Values)
            {
                var liveIn = Analyse(shape, f);
                // A function whose start is no instruction (a call into lddw's second half) only stops.
                var start = f.PositionOf(f.Start);
                var inputs = f.In | (start >= 0 ? liveIn[start] & Extras : 0);
                changed |= inputs != f.In;
                f.In = inputs;
                for (var i = 0; i < f.Pcs.Length; i++)
                {
                    var pc = f.Pcs[i];
                    if (!Flow.IsLocalCall(shape.Code[pc]) || shape.Callee(pc) is not { } callee) continue;
                    var next = f.PositionOf(pc + 1);
                    var after = (next >= 0 ? liveIn[next] : 0) & Args;
                    changed |= (callee.Out | after) != callee.Out;
                    callee.Out |= after;
                }
            }
        } while (changed);
    }

    /// <summary>Registers live on entry to each of the function's instructions (by position in its Pcs).</summary>
    static int[] Analyse(ProgramShape shape, FunctionShape f)
    {
        var pcs = f.Pcs;
        var (use, def, next, jump) = (new int[pcs.Length], new int[pcs.Length], new int[pcs.Length], new int[pcs.Length]);
        for (var i = 0; i < pcs.Length; i++)
        {
            var insn = shape.Code[pcs[i]];
            (use[i], def[i]) = UseDef(shape, f, pcs[i]);
            next[i] = Flow.FallsThrough(shape.Code, insn, pcs[i]) && !Flow.IsUnconditionalJump(insn.Opcode) ? f.PositionOf(Flow.Next(insn, pcs[i])) : -1;
            jump[i] = Flow.IsJump(insn.Opcode) ? f.PositionOf(Flow.JumpTarget(insn, pcs[i])) : -1;
        }
        var live = new int[pcs.Length];
        bool changed;
        do
        {
            changed = false;
            for (var i = pcs.Length - 1; i >= 0; i--)
            {
                var after = (next[i] >= 0 ? live[next[i]] : 0) | (jump[i] >= 0 ? live[jump[i]] : 0);
                var before = (use[i] | (after & ~def[i])) & All;
                if (before == live[i]) continue;
                live[i] = before;
                changed = true;
            }
        } while (changed);
        return live;
    }

    static (int Use, int Def) UseDef(ProgramShape shape, FunctionShape f, int pc)
    {
        var insn = shape.Code[pc];
        var op = insn.Opcode;
        int d = 1 << (int)insn.Dst, s = 1 << (int)insn.Src;
        const int r0 = 1;
        var byRegister = Bpf.Source((byte)op) == Bpf.X;
        switch (Bpf.Class((byte)op))
        {
            case Bpf.ALU or Bpf.ALU64:
                if (op is Opcode.Mov32Imm or Opcode.Mov64Imm) return (0, d);
                if (op is Opcode.Mov32Reg or Opcode.Mov64Reg) return (s, d);
                if (op is Opcode.Neg32 or Opcode.Neg64 or Opcode.Le or Opcode.Be or Opcode.Bswap) return (d, d);
                return (byRegister ? d | s : d, d);
            case Bpf.LD:
                if (op == Opcode.Lddw) return (0, d);
                // The failing path exits: it hands back the function's outputs.
                return ((Bpf.Mode((byte)op) == Bpf.IND ? s : 0) | f.Out, r0);
            case Bpf.LDX: return (s, d);
            case Bpf.ST: return (d, 0);
            case Bpf.STX when Bpf.Mode((byte)op) == Bpf.ATOMIC:
                if (insn.Imm == Bpf.CMPXCHG) return (d | s | r0, r0);
                return (d | s, (insn.Imm & Bpf.FETCH) != 0 ? s : 0);
            case Bpf.STX: return (d | s, 0);
        }
        switch (op)
        {
            case Opcode.Exit: return (r0 | f.Out, 0);
            case Opcode.Callx: return (d | Args, r0);
            case Opcode.Call when Flow.IsLocalCall(insn):
                return shape.Callee(pc) is { } callee ? (Args | callee.In, r0 | Args) : (0, 0);
            // A tail call hands every register to the target, which may read any of them.
            case Opcode.Call when Flow.IsTailCall(insn): return (All, 0);
            case Opcode.Call when Flow.IsHelperCall(insn): return (Args, r0);
            case Opcode.Call: return (0, 0);
            case Opcode.Ja or Opcode.Ja32: return (0, 0);
            default: return (byRegister ? d | s : d, 0);
        }
    }
}
