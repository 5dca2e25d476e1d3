namespace BpfSharp.Helpers;

/// <summary>The kernel's <c>&lt;linux/ctype.h&gt;</c> classes (lib/ctype.c), which differ from C's "C" locale above
/// 0x7f: the kernel's table is Latin-1, so 0xa0 is a space, 0xa1-0xbf punctuation and 0xc0-0xff letters. The format
/// checks of <c>bpf_trace_printk</c> and the number parsing of <c>bpf_strtol</c> use these.</summary>
internal static class KernelCtype
{
    [Flags]
    enum Class : byte { None = 0, Upper = 1, Lower = 2, Digit = 4, Control = 8, Punct = 16, Space = 32, HexLetter = 64, Blank = 128 }

    static readonly Class[] table = Build();

    static Class[] Build()
    {
        var t = new Class[256];
        for (var c = 0; c < 256; c++)
        {
            t[c] = c switch
            {
                >= 9 and <= 13 => Class.Control | Class.Space,
                < 32 or 127 or (>= 128 and < 160) => Class.Control,
                32 or 160 => Class.Space | Class.Blank,
                >= '0' and <= '9' => Class.Digit,
                >= 'A' and <= 'F' => Class.Upper | Class.HexLetter,
                >= 'G' and <= 'Z' => Class.Upper,
                >= 'a' and <= 'f' => Class.Lower | Class.HexLetter,
                >= 'g' and <= 'z' => Class.Lower,
                < 127 => Class.Punct,
                (>= 161 and <= 191) or 215 or 247 => Class.Punct,
                (>= 192 and <= 214) or (>= 216 and <= 222) => Class.Upper,
                _ => Class.Lower,
            };
        }
        return t;
    }

    public static bool IsSpace(byte c) => (table[c] & Class.Space) != 0;

    public static bool IsPunct(byte c) => (table[c] & Class.Punct) != 0;

    public static bool IsAlnum(byte c) => (table[c] & (Class.Upper | Class.Lower | Class.Digit)) != 0;

    public static bool IsPrint(byte c) => (table[c] & (Class.Punct | Class.Upper | Class.Lower | Class.Digit | Class.Blank)) != 0;

    public static bool IsXDigit(byte c) => (table[c] & (Class.Digit | Class.HexLetter)) != 0;

    public static bool IsAscii(byte c) => c <= 0x7f;

    public static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';
}
