using BpfSharp.Isa.AssemblerInternal;

namespace BpfSharp.Isa;

/// <summary>Assembles the bpf_conformance suite's assembly dialect (<c>lib/src/bpf_assembler.cc</c> upstream) into
/// instructions: <c>%r0</c>..<c>%r10</c>, <c>add32 %r1, 2</c>, <c>ldxw %r0, [%r1+4]</c>, <c>lock fetch add [%r10-8], %r1</c>,
/// <c>jeq %r1, 0, label</c>, <c>call local f</c>, <c>name:</c> labels, <c>#</c> comments; the label <c>exit</c> names the
/// first <c>exit</c>. Every opcode RFC 9669 defines has a spelling (legacy packet loads use GNU as's
/// <c>ldabsw imm</c> / <c>ldindw %rS, imm</c>). Beyond upstream, <c>lddw</c> takes pseudo operands for programs whose
/// maps and callbacks are named rather than known: <c>map:K</c> (BPF_PSEUDO_MAP_FD, imm K), <c>mapvalue:K+OFF</c>
/// (BPF_PSEUDO_MAP_VALUE, imm K, OFF in the second slot) and <c>func:LABEL</c> (BPF_PSEUDO_FUNC, imm LABEL - pc - 1).
/// The output is not validated: <c>%r11</c>-<c>%r15</c> and odd field
/// combinations are encoded as written so that negative tests can be built; run
/// <see cref="InstructionDecoder.Validate"/> to judge them.</summary>
public static class Assembler
{
    /// <summary>Assembles a whole program; throws <see cref="AssemblerException"/> naming the first bad line.</summary>
    public static Instruction[] Assemble(string text) => Assemble(SourceLine.Split(text));

    internal static Instruction[] Assemble(IEnumerable<SourceLine> lines)
    {
        var code = new List<Instruction>();
        var labels = new Dictionary<string, (int Slot, int Line)>(StringComparer.Ordinal);
        var fixups = new List<(int Slot, string Label, int Line)>();
        foreach (var line in lines)
        {
            try
            {
                var statement = Statement.Parse(line.Text);
                if (statement is null) continue;
                if (statement.IsLabel)
                {
                    DefineLabel(labels, statement, code.Count, line.Number);
                    continue;
                }
                // Upstream predefines "exit" at the first exit; a user's own earlier "exit:" wins here instead of
                // being silently replaced.
                if (statement.Mnemonic == "exit") labels.TryAdd("exit", (code.Count, line.Number));
                var encoded = InstructionEncoder.Encode(statement);
                if (encoded.Label is not null) fixups.Add((code.Count, encoded.Label, line.Number));
                code.Add(encoded.First);
                if (encoded.Second is { } second) code.Add(second);
            }
            catch (SyntaxError e)
            {
                throw new AssemblerException(e.Message, line.Number);
            }
        }
        foreach (var (slot, label, line) in fixups)
            code[slot] = Resolve(code[slot], slot, label, line, labels);
        return code.ToArray();
    }

    static void DefineLabel(Dictionary<string, (int Slot, int Line)> labels, Statement statement, int slot, int line)
    {
        var name = statement.LabelName;
        if (name.Length == 0) throw new SyntaxError("Invalid label: empty name");
        // Upstream ignores anything after "name:"; an instruction there would silently vanish, so refuse it.
        if (statement.Operands.Count > 0)
            throw new SyntaxError($"Unexpected text after label {name}: {string.Join(' ', statement.Operands)}");
        if (labels.TryGetValue(name, out var previous))
            throw new SyntaxError($"Duplicate label ({name}) detected, previous declaration at line {previous.Line}");
        labels[name] = (slot, line);
    }

    /// <summary>Targets are relative to the next slot (RFC 9669 §4.3): target - slot - 1.</summary>
    static Instruction Resolve(Instruction insn, int slot, string label, int line, Dictionary<string, (int Slot, int Line)> labels)
    {
        if (!labels.TryGetValue(label, out var target))
            throw new AssemblerException($"Invalid label: {label}", line);
        var delta = target.Slot - slot - 1;
        if (Encoded.TargetsImm(insn)) return insn.WithImm(delta);
        if (delta is < short.MinValue or > short.MaxValue)
            throw new AssemblerException($"Offset out of 16-bit range: {label} is {delta} slots away", line);
        return new Instruction((byte)insn.Opcode, (byte)((byte)insn.Src << 4 | (byte)insn.Dst), (short)delta, insn.Imm);
    }
}
