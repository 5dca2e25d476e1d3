using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary><c>may_goto</c> (<c>check_cond_jmp_op</c>'s BPF_JCOND): the jump, the loop's way out, is followed now;
    /// the fall-through later, one may_goto deeper. Scalars that changed since the previous iteration's visit here and
    /// that nothing relied on yet are widened to unknown (<c>widen_imprecise_scalars</c>), so that the loop's states
    /// converge instead of being walked for each of the 8M iterations the budget allows.</summary>
    int MayGoto(VerifierState state, Instruction insn, int pc)
    {
        var queued = state.Clone(spares);
        queued.MayGotoDepth++;
        if (PreviousIteration(state, pc) is { } previous) WidenImprecise(previous, queued);
        Fork(pc + 1, queued);
        return pc + 1 + insn.Offset;
    }

    /// <summary>The checkpoint this path kept at <paramref name="pc"/> on an earlier iteration, in the same calls, and
    /// still kept there (<c>find_prev_entry</c> searches the instruction's list, which a forgotten one has left); not
    /// the one kept on this very visit.</summary>
    static Checkpoint? PreviousIteration(VerifierState state, int pc)
    {
        var checkpoint = state.Parent;
        if (checkpoint is not null && checkpoint.Instruction == pc && state.History.Count == 1) checkpoint = checkpoint.Parent;
        for (; checkpoint is not null; checkpoint = checkpoint.Parent)
            if (checkpoint.Instruction == pc && !checkpoint.Forgotten && SameCallSites(checkpoint.State, state))
                return checkpoint;
        return null;
    }

    static bool SameCallSites(VerifierState a, VerifierState b) =>
        a.Frames.Count == b.Frames.Count && a.Frames.Select(f => f.CallSite).SequenceEqual(b.Frames.Select(f => f.CallSite));

    static void WidenImprecise(Checkpoint previous, VerifierState queued)
    {
        for (var f = 0; f < queued.Frames.Count; f++)
        {
            var (old, now) = (previous.State.Frames[f], queued.Frames[f]);
            for (var r = 0; r < 10; r++)
                if (Widens(old.Registers[r], now.Registers[r], (previous.PreciseRegisters[f] & (1 << r)) != 0))
                    now.Registers[r] = RegisterState.UnknownScalar;
            for (var slot = 0; slot < Math.Min(old.UsedSlots, now.UsedSlots); slot++)
            {
                var first = FrameState.Slots * 8 - (slot + 1) * 8;
                if (old.StackBytes[first] == StackByte.Spill && now.StackBytes[first] == StackByte.Spill
                    && Widens(old.Spilled[slot], now.Spilled[slot], (previous.PreciseSlots[f] & (1UL << slot)) != 0))
                    now.Spilled[slot] = RegisterState.UnknownScalar;
            }
        }

        // maybe_widen_reg: a scalar in both, not relied on, and not the same value.
        static bool Widens(RegisterState old, RegisterState now, bool precise) =>
            old.IsScalar && now.IsScalar && !precise && !old.Equals(now);
    }
}
