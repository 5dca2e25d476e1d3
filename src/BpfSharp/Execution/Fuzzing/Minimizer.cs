using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>Shrinks a case the engines disagree on: turns instructions into no-ops (<c>ja +0</c>) while the
/// disagreement remains, then deletes the no-ops, fixing up jumps, calls and function pointers around them.</summary>
internal static class Minimizer
{
    static readonly Instruction Nop = Asm.Ja(0);

    public static FuzzCase Minimize(FuzzCase fuzzCase, Func<FuzzCase, bool> stillFails)
    {
        var programs = fuzzCase.Programs.Select(p => p.ToArray()).ToArray();
        bool progress;
        do
        {
            progress = false;
            for (var p = 0; p < programs.Length; p++)
                for (var i = 0; i < programs[p].Length; i++)
                {
                    var code = programs[p];
                    if (code[i] == Nop || code[i].Opcode == Opcode.Invalid) continue;
                    var candidate = code.ToArray();
                    candidate[i] = Nop;
                    if (code[i].Opcode == Opcode.Lddw && i + 1 < code.Length) candidate[i + 1] = Nop;
                    if (Try(programs, p, candidate, fuzzCase, stillFails)) progress = true;
                }
            for (var p = 0; p < programs.Length; p++)
                for (var i = programs[p].Length - 1; i >= 0; i--)
                    if (programs[p][i] == Nop && Try(programs, p, Delete(programs[p], i), fuzzCase, stillFails))
                        progress = true;
        } while (progress);
        return fuzzCase with { Programs = programs };
    }

    static bool Try(Instruction[][] programs, int p, Instruction[] candidate, FuzzCase original, Func<FuzzCase, bool> stillFails)
    {
        var trial = programs.ToArray();
        trial[p] = candidate;
        if (candidate.Length == 0) return false;
        try { InstructionDecoder.Validate(candidate); }
        catch (ObjectFormatException) { return false; }
        if (!stillFails(original with { Programs = trial })) return false;
        programs[p] = candidate;
        return true;
    }

    /// <summary>The code without slot <paramref name="at"/>, every relative target re-aimed at the same instruction.</summary>
    static Instruction[] Delete(Instruction[] code, int at)
    {
        static int Moved(int pc, int at) => pc > at ? pc - 1 : pc;
        var result = new List<Instruction>(code.Length - 1);
        for (var i = 0; i < code.Length; i++)
        {
            if (i == at) continue;
            var insn = code[i];
            var from = Moved(i, at);
            var isJump = Bpf.Class((byte)insn.Opcode) is Bpf.JMP or Bpf.JMP32 && insn.Opcode is not (Opcode.Call or Opcode.Callx or Opcode.Exit);
            if (insn.Opcode == Opcode.Ja32) insn = insn.WithImm(Moved(i + 1 + insn.Imm, at) - from - 1);
            else if (isJump) insn = new Instruction(insn.Opcode, insn.Dst, insn.Src, (short)(Moved(i + 1 + insn.Offset, at) - from - 1), insn.Imm);
            else if (insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL) insn = insn.WithImm(Moved(i + 1 + insn.Imm, at) - from - 1);
            else if (insn.Opcode == Opcode.Lddw && i + 1 < code.Length
                && FunctionPointer.TryDecode((uint)insn.Imm | (ulong)(uint)code[i + 1].Imm << 32, out var function))
                insn = insn.WithImm((int)(uint)FunctionPointer.Encode(Moved(function, at)));
            result.Add(insn);
        }
        return result.ToArray();
    }

    /// <summary>The case as text: each program disassembled and as hex (one slot a line), and the data.</summary>
    public static string Describe(FuzzCase fuzzCase, string difference)
    {
        var text = new StringBuilder();
        text.AppendLine($"# finding: {difference}");
        text.AppendLine($"# bounds-checked, instruction budget {fuzzCase.Budget}");
        text.AppendLine($"# data ({fuzzCase.Data.Length} bytes, r1 points to it, r2 = its length): {Convert.ToHexStringLower(fuzzCase.Data)}");
        Span<byte> bytes = stackalloc byte[Instruction.Size];
        for (var p = 0; p < fuzzCase.Programs.Length; p++)
        {
            text.AppendLine(p == 0 ? "# program (runs first)" : $"# program array slot {p - 1} (r2 = 0x{ProgramGenerator.ProgramArray:x})");
            text.Append(Disassembler.Disassemble(fuzzCase.Programs[p]));
            text.AppendLine("# hex");
            foreach (var insn in fuzzCase.Programs[p])
            {
                insn.Write(bytes);
                text.AppendLine(Convert.ToHexStringLower(bytes));
            }
        }
        return text.ToString();
    }
}
