using BpfSharp.Isa;

namespace BpfSharp.Tests.Support;

/// <summary>Instructions as bytes and hex text, for comparing with sourced byte strings.</summary>
public static class Code
{
    public static byte[] ToBytes(this IReadOnlyList<Instruction> code) => Instruction.ToBytes(code.ToArray());

    /// <summary>"04 01 00 00 02 00 00 00", slots separated by " | ".</summary>
    public static string ToHex(this IReadOnlyList<Instruction> code) =>
        string.Join(" | ", code.Select(i => string.Join(" ", new[] { i }.ToBytes().Select(b => b.ToString("x2")))));
}
