using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>The kernel's limits on call chains (<c>check_max_stack_depth</c>), walked over every chain of BPF-to-BPF
/// calls from the entry: at most 8 frames; at most 512 bytes of stack along a chain, each frame's depth rounded up
/// to 16 (as with the JIT); and a subprogram that makes a tail call may only be reached through frames that total
/// less than 256 bytes, so that 33 chained tail calls cannot overflow the kernel stack.</summary>
internal static class StackLimits
{
    const int MaxStack = 512, MaxFrames = 8, TailCallFrameLimit = 256;

    sealed record Function(int Start, int StackDepth, bool TailCalls, List<(int Site, int Callee)> Calls);

    /// <summary>Checks the chains of a program whose functions start at <paramref name="starts"/> (ascending) and use
    /// <paramref name="stackDepths"/> bytes each; callbacks are taken by <c>lddw</c> with a pc-relative immediate, as
    /// the linker leaves them.</summary>
    public static void Check(string program, Instruction[] code, int[] starts, IReadOnlyList<int> stackDepths)
    {
        int FunctionOf(int pc)
        {
            var i = Array.BinarySearch(starts, pc);
            return i >= 0 ? i : ~i - 1;
        }
        var functions = starts.Select((start, i) => new Function(start, stackDepths[i], false, new())).ToArray();
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            var f = functions[FunctionOf(pc)];
            // A callback's address counts as a call from where it is taken: bpf_loop and the like run it below the
            // function that passes it, on top of that function's stack.
            if (insn.Opcode == Opcode.Lddw && insn.Src == (Register)Bpf.PSEUDO_FUNC)
                f.Calls.Add((pc, FunctionOf(pc + 1 + insn.Imm)));
            if (insn.Opcode != Opcode.Call) continue;
            if (insn.Src == (Register)Bpf.PSEUDO_CALL)
                f.Calls.Add((pc, FunctionOf(pc + 1 + insn.Imm)));
            else if (insn.Src == Register.R0 && insn.Imm == (int)HelperId.TailCall)
                functions[FunctionOf(pc)] = f with { TailCalls = true };
        }
        foreach (var f in functions.Where(f => f.StackDepth > MaxStack))
            throw new VerifierException(program, f.Start, $"stack depth {f.StackDepth} of a single function exceeds {MaxStack} bytes");
        Walk(program, functions, 0, frame: 1, depthBefore: 0);
    }

    static void Walk(string program, Function[] functions, int index, int frame, int depthBefore)
    {
        var f = functions[index];
        if (frame > MaxFrames)
            throw new VerifierException(program, f.Start, $"the call stack of {frame - 1} frames is too deep !");
        if (index != 0 && f.TailCalls && depthBefore >= TailCallFrameLimit)
            throw new VerifierException(program, f.Start,
                $"tail_calls are not allowed when call stack of previous frames is {depthBefore} bytes. Too large");
        var depth = depthBefore + RoundUp(f.StackDepth);
        if (depth > MaxStack)
            throw new VerifierException(program, f.Start, $"combined stack size of {frame} calls is {depth}. Too large");
        foreach (var (_, callee) in f.Calls.DistinctBy(c => c.Callee))
            Walk(program, functions, callee, frame + 1, depth);
    }

    static int RoundUp(int depth) => (depth + 15) & ~15;
}
