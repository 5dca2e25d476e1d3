using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>The structural checks the kernel makes before simulating anything (<c>check_subprogs</c>,
/// <c>check_cfg</c>): functions found from calls and function references, every jump inside its own function and
/// never into the second half of a <c>lddw</c>, no function falling off its end, no unreachable instruction.</summary>
internal sealed class ControlFlow
{
    ControlFlow(int[] starts, int length)
    {
        FunctionStarts = starts;
        Length = length;
    }

    /// <summary>First instruction of every function, ascending; the entry is 0.</summary>
    public int[] FunctionStarts { get; }

    public int Length { get; }

    /// <summary>Index of the function holding <paramref name="pc"/>.</summary>
    public int FunctionOf(int pc)
    {
        var i = Array.BinarySearch(FunctionStarts, pc);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>One past the last instruction of function <paramref name="index"/>.</summary>
    public int FunctionEnd(int index) => index + 1 < FunctionStarts.Length ? FunctionStarts[index + 1] : Length;

    public static ControlFlow Check(string program, Instruction[] code, IEnumerable<int> knownStarts, Func<int, string, VerifierException> fail)
    {
        if (code.Length == 0) throw fail(0, "empty program");
        if (code.Length > 1_000_000) throw fail(0, $"BPF program is too large. Processed {code.Length} insn");
        var second = new bool[code.Length];
        var starts = new SortedSet<int>(knownStarts) { 0 };
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            // Only what the kernel checks of every instruction before walking (resolve_pseudo_ldimm64: lddw and
            // BPF_LDX's fields); the rest it checks on the instructions a path reaches (Explorer.Step).
            var error = InstructionDecoder.Check(code, pc, out _);
            if (error != DecodeError.None && (insn.Opcode == Opcode.Lddw || error is DecodeError.TruncatedLddw or DecodeError.InvalidLddwSecondSlot
                    || insn.Class == Bpf.LDX && error != DecodeError.InvalidRegister))
                throw fail(pc, DecodeMessages.For(insn, error));
            if (insn.Opcode == Opcode.Lddw)
            {
                if (pc + 1 >= code.Length) throw fail(pc, "invalid BPF_LD_IMM insn");
                second[pc + 1] = true;
                if (insn.Src == (Register)Bpf.PSEUDO_FUNC) starts.Add(Target(fail, code, pc, pc + 1 + insn.Imm));
                pc++;
                continue;
            }
            if (insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL)
                starts.Add(Target(fail, code, pc, pc + 1 + insn.Imm));
            if (insn.Opcode == Opcode.Callx) throw fail(pc, "unknown opcode 8d");
        }
        var flow = new ControlFlow(starts.ToArray(), code.Length);
        flow.CheckJumps(code, second, fail);
        flow.CheckReachable(code, fail);
        return flow;
    }

    static int Target(Func<int, string, VerifierException> fail, Instruction[] code, int pc, int target)
    {
        if ((uint)target >= (uint)code.Length) throw fail(pc, "call to invalid destination");
        return target;
    }

    /// <summary>The kernel's words for what the instruction at <paramref name="pc"/> gets wrong in its own fields (reserved fields,
    /// registers, a shift immediate of the width or more), checked when a path reaches it; null when nothing.</summary>
    public static string? FieldError(Instruction[] code, int pc)
    {
        var insn = code[pc];
        var error = InstructionDecoder.Check(code, pc, out _);
        if (error != DecodeError.None) return DecodeMessages.For(insn, error);
        var op = Bpf.Op((byte)insn.Opcode);
        if (insn.Class is not (Bpf.ALU or Bpf.ALU64) || Bpf.Source((byte)insn.Opcode) != Bpf.K || op is not (Bpf.LSH or Bpf.RSH or Bpf.ARSH)) return null;
        var width = insn.Class == Bpf.ALU64 ? 64 : 32;
        return (uint)insn.Imm >= width ? $"invalid shift {insn.Imm}" : null;
    }

    void CheckJumps(Instruction[] code, bool[] second, Func<int, string, VerifierException> fail)
    {
        for (var f = 0; f < FunctionStarts.Length; f++)
        {
            int start = FunctionStarts[f], end = FunctionEnd(f);
            if (second[start]) throw fail(start, $"jump into the middle of ldimm64 insn {start - 1}");
            for (var pc = start; pc < end; pc++)
            {
                var insn = code[pc];
                if (insn.Opcode == Opcode.Lddw) { pc++; continue; }
                if (!IsJump(insn)) continue;
                var target = pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset);
                if (target < start || target >= end) throw fail(pc, $"jump out of range from insn {pc} to {target}");
                if (second[target]) throw fail(pc, $"jump into the middle of ldimm64 insn {target - 1}");
            }
            if (second[end - 1] || code[end - 1].Opcode is not (Opcode.Exit or Opcode.Ja or Opcode.Ja32))
                throw fail(end - 1, "last insn is not an exit or jmp");
        }
    }

    /// <summary>Every instruction must be reachable from its function's start (the kernel refuses dead code).</summary>
    void CheckReachable(Instruction[] code, Func<int, string, VerifierException> fail)
    {
        var seen = new bool[code.Length];
        var work = new Stack<int>(FunctionStarts);
        while (work.Count > 0)
        {
            var pc = work.Pop();
            if (pc >= code.Length || seen[pc]) continue;
            seen[pc] = true;
            var insn = code[pc];
            if (insn.Opcode == Opcode.Lddw) { seen[pc + 1] = true; work.Push(pc + 2); continue; }
            if (insn.Opcode == Opcode.Exit) continue;
            if (IsJump(insn))
            {
                work.Push(pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset));
                if (insn.Opcode is Opcode.Ja or Opcode.Ja32) continue;
            }
            work.Push(pc + 1);
        }
        for (var pc = 0; pc < code.Length; pc++)
            if (!seen[pc]) throw fail(pc, $"unreachable insn {pc}");
    }

    /// <summary>A jump within the function (not a call, not exit).</summary>
    public static bool IsJump(Instruction insn) =>
        insn.Class is Bpf.JMP or Bpf.JMP32 && insn.Opcode is not (Opcode.Call or Opcode.Callx or Opcode.Exit);
}
