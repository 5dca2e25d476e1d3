using System.Security.Cryptography;
using System.Text;

namespace BpfSharp.Helpers.PrintfInternal;

/// <summary>The text of the kernel's %p extensions that BPF may use (lib/vsprintf.c): IP addresses, the hashed
/// pointer of plain %p, and symbol lookups, which find nothing in BpfSharp (there is no kallsyms).</summary>
internal static class PointerText
{
    /// <summary>Like the kernel's boot-time <c>ptr_key</c>: %p hashes differ between processes, not between calls.</summary>
    static readonly ulong hashKey = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    /// <summary>%pI4 "1.2.3.4"; %pi4 pads each quad to three digits, "001.002.003.004" (<c>ip4_string</c>).</summary>
    public static byte[] Ip4(ReadOnlySpan<byte> address, bool leadingZeros)
    {
        var text = new StringBuilder(15);
        for (var i = 0; i < 4; i++)
        {
            if (i > 0) text.Append('.');
            text.Append(leadingZeros ? address[i].ToString("D3") : address[i].ToString());
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>%pI6: eight colon-separated groups of four lowercase hex digits, leading zeros kept; %pi6: the 32
    /// digits alone (<c>ip6_string</c>). BPF cannot ask for the compressed %pI6c form.</summary>
    public static byte[] Ip6(ReadOnlySpan<byte> address, bool colons)
    {
        var text = new StringBuilder(39);
        for (var i = 0; i < 16; i += 2)
        {
            if (colons && i > 0) text.Append(':');
            text.Append(address[i].ToString("x2")).Append(address[i + 1].ToString("x2"));
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>What plain %p (and %pK, as with kptr_restrict = 0) prints instead of an address: a 32-bit keyed hash
    /// (<c>ptr_to_id</c>), so that equal pointers print equal but nothing leaks. NULL and error pointers (the top
    /// 4095 values) print as they are.</summary>
    public static ulong Hashed(ulong pointer)
    {
        if (pointer == 0 || pointer >= unchecked((ulong)-4095)) return pointer;
        var x = (pointer ^ hashKey) * 0x9E37_79B9_7F4A_7C15UL;
        x ^= x >> 29;
        x *= 0xBF58_476D_1CE4_E5B9UL;
        return (x ^ (x >> 32)) & 0xFFFF_FFFF;
    }

    /// <summary>%ps and %pS: <c>sprint_symbol</c> of an address no symbol covers prints it as "0x" and lowercase hex.</summary>
    public static byte[] Symbol(ulong address) => Encoding.ASCII.GetBytes($"0x{address:x}");

    /// <summary>%pB (<c>sprint_backtrace</c>): a return address, looked up as the call before it.</summary>
    public static byte[] Backtrace(ulong address) => Symbol(address);
}
