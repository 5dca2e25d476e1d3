namespace BpfSharp.Isa.AssemblerInternal;

/// <summary>The pseudo forms of <c>lddw</c>'s operand, for programs written before their maps exist (verifier cases):
/// <c>map:K</c> is BPF_PSEUDO_MAP_FD with imm K (the K-th map of the program, replaced by a file descriptor at load);
/// <c>mapvalue:K+OFF</c> is BPF_PSEUDO_MAP_VALUE with imm K and OFF in the second slot's imm (the kernel's
/// <c>BPF_LD_MAP_VALUE</c>); <c>func:LABEL</c> is BPF_PSEUDO_FUNC with imm = LABEL - pc - 1 (a callback's address,
/// as libbpf writes it). Not part of the upstream dialect, which has only numbers.</summary>
internal static class PseudoLoads
{
    const string Map = "map:", MapValue = "mapvalue:", Func = "func:";

    public static bool IsPseudo(string operand) =>
        operand.StartsWith(Map, StringComparison.Ordinal) || operand.StartsWith(MapValue, StringComparison.Ordinal)
        || operand.StartsWith(Func, StringComparison.Ordinal);

    public static Encoded Encode(Register dst, string operand)
    {
        if (operand.StartsWith(Map, StringComparison.Ordinal))
            return Pair(dst, Bpf.PSEUDO_MAP_FD, MapIndex(operand[Map.Length..], operand), 0);
        if (operand.StartsWith(MapValue, StringComparison.Ordinal))
        {
            var rest = operand[MapValue.Length..];
            var sign = rest.IndexOfAny(['+', '-']);
            var index = MapIndex(sign < 0 ? rest : rest[..sign], operand);
            // The offset keeps its sign so that a negative one can be written for the kernel to refuse.
            var offset = sign < 0 ? 0 : Numbers.Imm32(rest[sign..]);
            return Pair(dst, Bpf.PSEUDO_MAP_VALUE, index, offset);
        }
        var target = operand[Func.Length..];
        if (target.Length == 0) throw new SyntaxError($"Invalid function reference: {operand}");
        if (Operands.IsRelative(target)) return Pair(dst, Bpf.PSEUDO_FUNC, Numbers.Imm32(target), 0);
        return Pair(dst, Bpf.PSEUDO_FUNC, 0, 0) with { Label = target };
    }

    static int MapIndex(string digits, string operand)
    {
        if (digits.Length == 0 || digits[0] is '+' or '-') throw new SyntaxError($"Invalid map index: {operand}");
        var index = Numbers.Imm32(digits);
        return index >= 0 ? index : throw new SyntaxError($"Invalid map index: {operand}");
    }

    static Encoded Pair(Register dst, byte source, int imm, int secondImm) =>
        new(new Instruction(Opcode.Lddw, dst, (Register)source, 0, imm), new Instruction(Opcode.Invalid, 0, 0, 0, secondImm));
}
