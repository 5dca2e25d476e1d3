using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Which registers each function exchanges with its callers beyond its arguments. Methods take r1-r5 and
/// return r0, but the interpreter shares one register file between frames: a callee sees its caller's r0 and r6-r9
/// until it writes them, and the caller sees the callee's last r1-r5 after the call. Verified code never looks (the
/// kernel's verifier calls such registers uninitialised), so for clang's code both sets are empty and nothing is
/// copied; an unverified program gets exactly the interpreter's values through <see cref="Invocation.Registers"/>.
/// Solved by backward liveness in every function, repeated until no function's sets grow. A register a function has
/// neither written nor had disturbed by a call since its entry still sits in the block as its caller left it, so it
/// passes through to a callee or tail-call target without being loaded or stored (a chain of tail-calling programs
/// that never touch r6-r9 copies nothing). What liveness cannot see
/// (a tail call from a subprogram whose caller reads r1-r5 afterwards needs the target's last values) is served by
/// compiling the target once more, in hand-back mode, where every function hands back all of r1-r5.</summary>
internal static class Liveness
{
    /// <summary>r1-r5, r0 and r6-r9, r0-r9 as bit masks (bit n = rn).</summary>
    public const int Args = 0x3E, Extras = 0x3C1, All = 0x3FF;

    public static void Solve(ProgramShape shape)
    {
        foreach (var f in shape.Functions.Values)
        {
            f.Out = 0;
            f.Dirty = Dirty(shape, f);
        }
        bool changed;
        do
        {
            changed = false;
            foreach (var f in shape.Functions.Values)
            {
                var liveIn = Analyse(shape, f);
                // A function whose start is no instruction (a call into lddw's second half) only stops.
                var start = f.PositionOf(f.Start);
                var load = f.Load | (start >= 0 ? liveIn[start] & Extras : 0);
                var inputs = f.In | load;
                for (var i = 0; i < f.Pcs.Length; i++)
                    inputs |= PassedOn(shape, f, i) & ~f.Dirty[i];
                changed |= inputs != f.In || load != f.Load;
                (f.In, f.Load) = (inputs, load);
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

    /// <summary>The r0 and r6-r9 a call or tail call at position <paramref name="i"/> hands to its callee through the
    /// block: the callee's inputs, or every one for a tail call (its target is known only at run time).</summary>
    public static int PassedOn(ProgramShape shape, FunctionShape f, int i)
    {
        var insn = shape.Code[f.Pcs[i]];
        if (Flow.IsTailCall(insn)) return Extras;
        return Flow.IsLocalCall(insn) && shape.Callee(f.Pcs[i]) is { } callee ? callee.In : 0;
    }

    /// <summary>Forward: the r0 and r6-r9 that may differ from the block's copy before each instruction (written since
    /// entry, or any of them after a call: callees and callbacks reuse the block).</summary>
    static int[] Dirty(ProgramShape shape, FunctionShape f)
    {
        var pcs = f.Pcs;
        var dirty = new int[pcs.Length];
        bool changed;
        do
        {
            changed = false;
            for (var i = 0; i < pcs.Length; i++)
            {
                var insn = shape.Code[pcs[i]];
                var calls = insn.Opcode == Opcode.Callx || Flow.IsHelperCall(insn) || Flow.IsLocalCall(insn);
                var after = dirty[i] | (UseDef(shape, f, pcs[i]).Def & Extras) | (calls ? Extras : 0);
                foreach (var next in Successors(shape, f, i))
                {
                    if ((dirty[next] | after) == dirty[next]) continue;
                    dirty[next] |= after;
                    changed = true;
                }
            }
        } while (changed);
        return dirty;
    }

    static IEnumerable<int> Successors(ProgramShape shape, FunctionShape f, int i)
    {
        var (pc, insn) = (f.Pcs[i], shape.Code[f.Pcs[i]]);
        if (Flow.FallsThrough(shape.Code, insn, pc) && !Flow.IsUnconditionalJump(insn.Opcode) && f.PositionOf(Flow.Next(insn, pc)) is >= 0 and var next)
            yield return next;
        if (Flow.IsJump(insn.Opcode) && f.PositionOf(Flow.JumpTarget(insn, pc)) is >= 0 and var target)
            yield return target;
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
            // A call copies only the block inputs it dirtied; the clean ones pass through the block.
            if (Flow.IsTailCall(insn) || Flow.IsLocalCall(insn)) use[i] = (use[i] & ~Extras) | (PassedOn(shape, f, i) & f.Dirty[i]);
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
                if (insn.Imm == Bpf.LOAD_ACQ) return (s, d);
                if (insn.Imm == Bpf.STORE_REL) return (d | s, 0);
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
            // A tail call hands every register to the target, which may read any of them (see PassedOn).
            case Opcode.Call when Flow.IsTailCall(insn): return (All, 0);
            case Opcode.Call when Flow.IsHelperCall(insn): return (Args, r0);
            case Opcode.Call when Flow.IsKfuncCall(insn) && Kfuncs.Find(insn.Imm) is not null: return (Args, r0);
            case Opcode.Call: return (0, 0);
            case Opcode.Ja or Opcode.Ja32 or Opcode.MayGoto: return (0, 0);
            default: return (byRegister ? d | s : d, 0);
        }
    }
}
