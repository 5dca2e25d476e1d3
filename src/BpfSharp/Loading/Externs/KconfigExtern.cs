using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Loading.Externs;

/// <summary>A <c>__kconfig</c> extern and its slot in the <c>.kconfig</c> map's value; stores config values there as
/// libbpf's <c>set_kcfg_value_tri</c>, <c>_str</c> and <c>_num</c> do, refusing one its type cannot hold with
/// libbpf's words.</summary>
/// <param name="Name">The symbol's name (<c>CONFIG_HZ</c>, <c>LINUX_KERNEL_VERSION</c>).</param>
/// <param name="IsWeak">Declared <c>__weak</c>: zero when nothing sets it.</param>
/// <param name="Type">What its C type accepts.</param>
/// <param name="IsSigned">For integers and characters: whether negative values fit.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Alignment">Its alignment, which orders the layout.</param>
internal sealed record KconfigExtern(string Name, bool IsWeak, KconfigType Type, bool IsSigned, uint Size, uint Alignment)
    : Extern(Name, IsWeak)
{
    /// <summary>Where its value starts in the <c>.kconfig</c> map's value.</summary>
    public uint Offset { get; init; }

    /// <summary>Stores a value as a kernel config file writes it after <c>CONFIG_X=</c>: <c>y</c>, <c>n</c> or
    /// <c>m</c> (only the first character counts), a double-quoted string, or an integer.</summary>
    public void StoreConfig(Span<byte> slot, string text)
    {
        if (text.Length == 0) throw Error("no value");
        switch (text[0])
        {
            case 'y' or 'n' or 'm':
                StoreTristate(slot, text[0]);
                break;
            case '"':
                StoreString(slot, text);
                break;
            default:
                if (!CNumber.TryParse(text, out var number)) throw Error($"value '{text}' isn't a valid integer");
                if (Type is not (KconfigType.Integer or KconfigType.Char)) throw Error($"value '{text}' implies integer type");
                StoreNumber(slot, number);
                break;
        }
    }

    /// <summary>Stores a number (libbpf's virtual <c>LINUX_*</c> values, or an integer from the config).</summary>
    public void StoreNumber(Span<byte> slot, ulong value)
    {
        if (Type is not (KconfigType.Integer or KconfigType.Char or KconfigType.Bool))
            throw Error($"value '{value}' implies integer, char, or boolean type");
        if (Type == KconfigType.Bool && value > 1) throw Error($"value '{value}' isn't boolean compatible");
        if (!Fits(value)) throw Error($"value '{value}' doesn't fit in {Size} bytes");
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        bytes[..(int)Size].CopyTo(slot);
    }

    void StoreTristate(Span<byte> slot, char value)
    {
        switch (Type)
        {
            case KconfigType.Bool when value == 'm':
                throw Error($"value '{value}' implies tristate or char type");
            case KconfigType.Bool:
                slot[0] = value == 'y' ? (byte)1 : (byte)0;
                break;
            case KconfigType.Tristate:
                BinaryPrimitives.WriteUInt32LittleEndian(slot, value switch { 'y' => 1u, 'm' => 2u, _ => 0u }); // TRI_YES, TRI_MODULE, TRI_NO
                break;
            case KconfigType.Char:
                slot[0] = (byte)value;
                break;
            default:
                throw Error($"value '{value}' implies bool, tristate, or char type");
        }
    }

    void StoreString(Span<byte> slot, string text)
    {
        if (Type != KconfigType.CharArray) throw Error($"value '{text}' implies char array type");
        if (text.Length < 2 || text[^1] != '"') throw Error($"invalid string config '{text}'");
        // libbpf cuts a long string to fit, terminator included, and warns.
        var bytes = Encoding.UTF8.GetBytes(text[1..^1]);
        var length = Math.Min(bytes.Length, (int)Size - 1);
        bytes.AsSpan(0, length).CopyTo(slot);
        slot[length] = 0;
    }

    /// <summary>libbpf's <c>is_kcfg_value_in_range</c>: the 64-bit value survives the cut to <see cref="Size"/>
    /// bytes, as a signed number when the type is signed.</summary>
    bool Fits(ulong value)
    {
        if (Size == 8) return true;
        var bits = (int)Size * 8;
        return IsSigned ? unchecked(value + (1UL << (bits - 1))) < 1UL << bits : value >> bits == 0;
    }

    ObjectFormatException Error(string message) => new($"extern (kcfg) '{Name}': {message}", KconfigMap.Section);
}
