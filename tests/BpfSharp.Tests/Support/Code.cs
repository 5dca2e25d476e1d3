using BpfSharp.Isa;

namespace BpfSharp.Tests.Support;

/// <summary>Instructions as bytes and hex text, for comparing with sourced byte strings.</summary>
public static class Code
{
    public static byte[] ToBytes(this IReadOnlyList<Instruction> code)
    {
        var bytes = new byte[code.Count * Instruction.Size];
        for (var i = 0; i < code.Count; i++)
            code[i].Write(bytes.AsSpan(i * Instruction.Size, Instruction.Size));
        return bytes;
    }

    /// <summary>"04 01 00 00 02 00 00 00", slots separated by " | ".</summary>
    public static string ToHex(this IReadOnlyList<Instruction> code) =>
        string.Join(" | ", code.Select(i => string.Join(" ", new[] { i }.ToBytes().Select(b => b.ToString("x2")))));
}
