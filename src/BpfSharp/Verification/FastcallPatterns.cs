using BpfSharp.Abi;
using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>bpf_fastcall, as Linux finds and uses it (<c>mark_fastcall_patterns</c>, <c>check_fastcall_stack_contract</c>,
/// <c>remove_fastcall_spills_fills</c>). clang saves the registers a call would clobber around a call to a function it
/// knows preserves them (<c>bpf_get_smp_processor_id</c>, which the x86-64 and arm64 JITs inline; the kfunc
/// <c>bpf_cast_to_kern_ctx</c>): spills of r1-r5 to the deepest stack slots just before it, fills just after, in mirror
/// order. Where every such pattern of a function is around a call that really is fastcall and nothing else touches
/// its slots, the kernel deletes them, so the function's stack depth ends above them: what the 512-byte combined
/// limit counts. BpfSharp leaves them in place (its frames are 512 bytes each) and counts the depth as the kernel does.</summary>
internal sealed class FastcallPatterns
{
    const int CallerSaved = 5;

    readonly int[] starts;
    readonly bool[] inPattern;
    readonly int[] spills;
    readonly int[] stackOffset;
    readonly bool[] keepStack;

    FastcallPatterns(int[] starts, int length)
    {
        this.starts = starts;
        inPattern = new bool[length];
        spills = new int[length];
        stackOffset = Enumerable.Repeat((int)short.MaxValue, starts.Length).ToArray();
        keepStack = new bool[starts.Length];
    }

    /// <summary>Marks the patterns of every function.</summary>
    /// <param name="code">The program.</param>
    /// <param name="starts">Where its functions start, ascending.</param>
    /// <param name="call">For a helper or kfunc call: how many registers it takes, whether it returns nothing, and
    /// whether it keeps r1-r5 here; null for anything else.</param>
    public static FastcallPatterns Find(Instruction[] code, int[] starts, Func<Instruction, (int Parameters, bool Void, bool Fastcall)?> call)
    {
        var patterns = new FastcallPatterns(starts, code.Length);
        for (var f = 0; f < starts.Length; f++)
        {
            var end = f + 1 < starts.Length ? starts[f + 1] : code.Length;
            var lowest = 0;
            for (var pc = starts[f]; pc < end; pc++)
                if (IsSpill(code[pc])) lowest = Math.Min(lowest, code[pc].Offset);
            for (var pc = starts[f]; pc < end; pc++)
                if (code[pc].Opcode == Opcode.Call && call(code[pc]) is { } summary)
                    patterns.Mark(code, f, pc, lowest, summary);
        }
        return patterns;
    }

    static bool IsSpill(Instruction insn) => insn.Opcode == Opcode.StxDw && insn.Dst == Register.R10;

    void Mark(Instruction[] code, int function, int pc, int lowest, (int Parameters, bool Void, bool Fastcall) call)
    {
        // r0 if the call returns something and its parameters are what it clobbers; the other caller-saved
        // registers are those a pattern may save.
        var clobbered = ((1 << (call.Parameters + 1)) - 1) & ~(call.Void ? 1 : 0);
        var expected = ~clobbered & 0b11_1110;
        int i, offset;
        for (i = 1, offset = lowest; i <= CallerSaved; i++, offset += 8)
        {
            if (pc - i < 0 || pc + i >= code.Length) break;
            var (spill, fill) = (code[pc - i], code[pc + i]);
            if (!IsSpill(spill) || fill.Opcode != Opcode.LdxDw || fill.Src != Register.R10 || spill.Src != fill.Dst
                || (expected & (1 << (int)spill.Src)) == 0 || spill.Offset != offset || fill.Offset != offset)
                break;
            expected &= ~(1 << (int)spill.Src);
            inPattern[pc - i] = inPattern[pc + i] = true;
        }
        if (i == 1) return;
        // A pattern around a call the kernel does not make fastcall here means clang's saves must stay.
        if (call.Fastcall) spills[pc] = i - 1;
        else keepStack[function] = true;
        stackOffset[function] = Math.Min(stackOffset[function], offset);
    }

    /// <summary>A stack access at <paramref name="offset"/> of a frame of <paramref name="function"/>, by the instruction
    /// at <paramref name="pc"/>: one below a pattern's slots that is not part of a pattern ends the function's
    /// patterns, once and for all.</summary>
    public void Access(int function, int pc, int offset)
    {
        if (stackOffset[function] <= offset || inPattern[pc]) return;
        stackOffset[function] = short.MinValue;
        var end = function + 1 < starts.Length ? starts[function + 1] : spills.Length;
        for (var i = starts[function]; i < end; i++) (spills[i], inPattern[i]) = (0, false);
    }

    /// <summary>The functions' stack depths once the kernel has removed the patterns it can.</summary>
    public int[] DepthsAfterRemoval(IReadOnlyList<int> depths) => depths.Select((depth, f) =>
    {
        var end = f + 1 < starts.Length ? starts[f + 1] : spills.Length;
        var removed = Enumerable.Range(starts[f], end - starts[f]).Any(pc => spills[pc] > 0);
        return removed && !keepStack[f] ? -stackOffset[f] : depth;
    }).ToArray();

    /// <summary>What Linux says of a call for bpf_fastcall (<c>get_call_summary</c>), on x86-64: helpers by their
    /// prototype, <c>bpf_get_smp_processor_id</c> being the one the JIT inlines, where the program type gets the tracing
    /// prototype (the others get <c>bpf_get_raw_smp_processor_id</c>'s, not fastcall); kfuncs flagged KF_FASTCALL (the
    /// two casts).</summary>
    public static (int Parameters, bool Void, bool Fastcall)? Summary(Instruction call, ProgramType type, Func<int, HelperPrototype> helper)
    {
        if (call.Src == Register.R0)
        {
            var prototype = helper(call.Imm);
            var fastcall = call.Imm == (int)HelperId.GetSmpProcessorId && type is ProgramType.Kprobe or ProgramType.Tracepoint
                or ProgramType.PerfEvent or ProgramType.RawTracepoint or ProgramType.RawTracepointWritable or ProgramType.Tracing or ProgramType.Lsm;
            return (prototype.Arguments.Count(a => a != ArgKind.None), prototype.Returns == ReturnKind.Void, fastcall);
        }
        if (call.Src == (Register)Bpf.PSEUDO_KFUNC_CALL && KfuncPrototypes.For(call.Imm) is { } kfunc)
            return (kfunc.Arguments.Length, kfunc.Returns == KfuncReturn.Void, call.Imm is (int)KfuncId.CastToKernCtx or (int)KfuncId.RdonlyCast);
        return null;
    }
}
