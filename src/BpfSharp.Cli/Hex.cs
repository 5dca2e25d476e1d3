using System.Globalization;

namespace BpfSharp.Cli;

/// <summary>Hex text as the conformance protocol and the CLI options write it: pairs of digits, any whitespace
/// between bytes.</summary>
internal static class Hex
{
    public static byte[] Parse(string text, string what)
    {
        var digits = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (digits.Length % 2 != 0)
            throw new BpfException($"{what}: odd number of hex digits ({digits.Length})");
        var bytes = new byte[digits.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
            if (!byte.TryParse(digits.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
                throw new BpfException($"{what}: '{digits.Substring(2 * i, 2)}' at byte {i} is not hex");
        return bytes;
    }
}
