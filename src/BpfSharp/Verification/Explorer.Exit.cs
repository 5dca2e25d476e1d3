using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>exit: from the program (r0 set, every reference released), from a subprogram (back to the caller with
    /// r0), or from a callback (back after the helper that ran it).</summary>
    int Exit(VerifierState state, int pc)
    {
        var frame = state.Current;
        // A subprogram may return nothing (a void function): its caller just must not read r0 then.
        var r0 = state.Frames.Count == 1 ? Read(state, 0, pc) : state.Registers[0];
        if (state.Frames.Count == 1)
        {
            if (state.Lock is not null)
                throw Fail(pc, "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region", state,
                    "every bpf_spin_lock must be followed by bpf_spin_unlock on every path before the program exits");
            if (state.References.Count > 0)
            {
                var (id, instruction) = state.References[0];
                throw Fail(pc, $"Unreleased reference id={id} alloc_insn={instruction}", state,
                    state.Frames.Any(f => Enumerable.Range(0, FrameState.Slots).Any(s => f.IteratorAt(s).ReferenceId == id))
                        ? $"the iterator created at insn {instruction} is not destroyed on this path"
                        : "a ring-buffer record (or dynptr) reserved on this path is neither submitted nor discarded");
            }
            CheckRegionsClosed(state, pc, "BPF_EXIT instruction in main prog");
            if (frame.IsAsyncCallback) CheckReturnValue(state, pc, r0, (0, 0), "At async callback return", "a timer callback returns 0");
            else if (context?.ReturnRange is { } range)
                CheckReturnValue(state, pc, r0, range, "At program exit", $"{input.Type} programs return a value in [{range.Min}, {range.Max}]",
                    context.ReturnRangeIs32Bit);
            return -1;
        }
        if (r0.Kind == RegisterKind.Stack && r0.Frame == state.Frames.Count - 1)
            throw Fail(pc, "cannot return stack pointer to the caller", state, "the callee's stack is gone after it returns");
        if (frame.IsCallback)
        {
            if (!r0.IsScalar)
                throw Fail(pc, "R0 not a scalar value", state, "a callback returns 0 to continue or 1 to stop");
            MarkPrecise(state, 0);
            if (r0.Value.UMax > 1)
                throw Fail(pc, $"At callback return the register R0 has {ScalarBounds(r0.Value)} should have been in [0, 1]", state,
                    "a callback returns 0 to continue or 1 to stop");
            state.Frames.RemoveAt(state.Frames.Count - 1);
            if (ForgetCallbackWrites(state, frame))
            {
                // The helper may run the callback again on what this run left in its callers' stacks: simulate that
                // run too, as the kernel re-verifies a callback until its callers' states converge.
                // The callers' registers are still those of the helper call: it runs again from there.
                var again = state.Clone(spares);
                again.CallbackRuns++;
                Fork(frame.CallSite, again);
            }
            AfterCall(state, RegisterState.UnknownScalar);
            return frame.CallSite + 1;
        }
        state.Frames.RemoveAt(state.Frames.Count - 1);
        AfterCall(state, r0);
        return frame.CallSite + 1;
    }

    /// <summary><c>check_return_code</c>: r0 a number within the type's range on every path to the exit.</summary>
    void CheckReturnValue(VerifierState state, int pc, RegisterState r0, (long Min, long Max) range, string exit, string why, bool low32 = false)
    {
        if (!r0.IsScalar) throw Fail(pc, $"{exit} the register R0 is not a known value ({KindName(r0)})", state, why);
        MarkPrecise(state, 0);
        var (min, max) = low32 ? (r0.Value.S32Min, r0.Value.S32Max) : (r0.Value.SMin, r0.Value.SMax);
        if (min >= range.Min && max <= range.Max) return;
        // verbose_invalid_scalar names the 64-bit bounds even when it judged the low 32 bits.
        throw Fail(pc, $"{exit} the register R0 has {ScalarBounds(r0.Value)} should have been in [{range.Min}, {range.Max}]", state, why);
    }

    /// <summary>How the kernel's <c>verbose_invalid_scalar</c> names a scalar's bounds.</summary>
    static string ScalarBounds(Scalar value)
    {
        var bounds = (value.SMin > long.MinValue ? $" smin={value.SMin}" : "") + (value.SMax < long.MaxValue ? $" smax={value.SMax}" : "");
        return bounds.Length == 0 ? "unknown scalar value" : bounds[1..];
    }
}
