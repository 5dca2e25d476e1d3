using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BpfSharp.Isa;

/// <summary>One 8-byte eBPF instruction slot (RFC 9669 §3); <c>lddw</c> spans two.
/// Layout, little-endian: opcode (byte 0), dst in the low and src in the high nibble of byte 1,
/// a signed 16-bit offset (bytes 2-3) and a signed 32-bit immediate (bytes 4-7).</summary>
/// <remarks><c>default(Instruction)</c> has opcode 0x00, which is valid only as <c>lddw</c>'s second slot.</remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Instruction : IEquatable<Instruction>, ISpanFormattable
{
    /// <summary>The size of one slot in bytes.</summary>
    public const int Size = 8;

    readonly byte opcode;
    readonly byte regs;
    readonly short offset;
    readonly int imm;

    /// <summary>Builds an instruction from its fields.</summary>
    public Instruction(Opcode opcode, Register dst, Register src, short offset, int imm)
        : this((byte)opcode, (byte)((byte)src << 4 | (byte)dst & 0xF), offset, imm) { }

    /// <summary>Builds an instruction from raw field bytes, valid or not (the decoder judges it).</summary>
    public Instruction(byte opcode, byte regs, short offset, int imm)
    {
        this.opcode = opcode;
        this.regs = regs;
        this.offset = offset;
        this.imm = imm;
    }

    /// <summary>The opcode byte.</summary>
    public Opcode Opcode => (Opcode)opcode;

    /// <summary>The destination register field (may be out of range in an undecoded slot).</summary>
    public Register Dst => (Register)(regs & 0xF);

    /// <summary>The source register field (may be out of range in an undecoded slot).</summary>
    public Register Src => (Register)(regs >> 4);

    /// <summary>The signed 16-bit offset.</summary>
    public short Offset => offset;

    /// <summary>The signed 32-bit immediate.</summary>
    public int Imm => imm;

    /// <summary>The instruction class: the low three bits of the opcode.</summary>
    public byte Class => (byte)(opcode & 0x07);

    /// <summary>Reads one slot from 8 little-endian bytes.</summary>
    public static Instruction Read(ReadOnlySpan<byte> slot) =>
        new(slot[0], slot[1], BinaryPrimitives.ReadInt16LittleEndian(slot[2..]), BinaryPrimitives.ReadInt32LittleEndian(slot[4..]));

    /// <summary>Writes the slot as 8 little-endian bytes.</summary>
    public void Write(Span<byte> slot)
    {
        slot[0] = opcode;
        slot[1] = regs;
        BinaryPrimitives.WriteInt16LittleEndian(slot[2..], offset);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], imm);
    }

    /// <summary>A program's slots as the bytes an object file or <c>bpf()</c> holds.</summary>
    internal static byte[] ToBytes(ReadOnlySpan<Instruction> code)
    {
        var bytes = new byte[code.Length * Size];
        for (var i = 0; i < code.Length; i++)
            code[i].Write(bytes.AsSpan(i * Size, Size));
        return bytes;
    }

    /// <summary>The slot as the little-endian 64-bit integer the conformance suite's <c>-- raw</c> sections use.</summary>
    public ulong ToUInt64() => opcode | (ulong)regs << 8 | (ulong)(ushort)offset << 16 | (ulong)(uint)imm << 32;

    /// <summary>The slot from its little-endian 64-bit integer form.</summary>
    public static Instruction FromUInt64(ulong raw) => new((byte)raw, (byte)(raw >> 8), (short)(raw >> 16), (int)(raw >> 32));

    /// <summary>Returns a copy with another immediate (relocations patch it).</summary>
    public Instruction WithImm(int newImm) => new(opcode, regs, offset, newImm);

    /// <summary>Returns a copy with another opcode, fields kept (the loader's probe loads).</summary>
    internal Instruction WithOpcode(Opcode newOpcode) => new((byte)newOpcode, regs, offset, imm);

    /// <summary>Returns a copy with another source register field (relocations set the pseudo source).</summary>
    public Instruction WithSrc(byte src) => new(opcode, (byte)(src << 4 | regs & 0xF), offset, imm);

    /// <summary>The instruction as <c>llvm-objdump-19 -d</c> prints it (<c>r0 = 0xcafe</c>, <c>if w1 &gt; w2 goto +0x3</c>),
    /// or <c>&lt;unknown&gt;</c> for a slot LLVM cannot decode. A <c>lddw</c> slot alone shows its low immediate.</summary>
    public override string ToString()
    {
        Span<char> text = stackalloc char[MaxTextLength];
        TryFormat(text, out var written, default, null);
        return new string(text[..written]);
    }

    /// <summary>Same as <see cref="ToString()"/>; there are no format strings.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes <see cref="ToString()"/>'s text without allocating; false when it does not fit.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var sink = new SpanSink(destination);
        if (!InstructionFormatter.TryFormat(this, 0, ref sink))
            sink.Write("<unknown>", TextKind.Invalid);
        charsWritten = sink.Overflowed ? 0 : sink.Written;
        return !sink.Overflowed;
    }

    // The longest text, "r11 = atomic_fetch_xor((u64 *)(r11 - 0x8000), r11)", is 51 characters.
    const int MaxTextLength = 64;

    /// <inheritdoc/>
    public bool Equals(Instruction other) => opcode == other.opcode && regs == other.regs && offset == other.offset && imm == other.imm;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToUInt64().GetHashCode();

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(Instruction left, Instruction right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(Instruction left, Instruction right) => !left.Equals(right);
}
