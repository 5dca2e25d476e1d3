using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Isa;

/// <summary>Disassembles BPF code into the text <c>llvm-objdump-19 -d</c> prints, byte for byte: one line per
/// instruction (<c>       0:\t18 02 00 00 ...\tr2 = 0x0 ll</c>, a <c>lddw</c>'s 16 bytes on one line), label lines
/// (<c>0000000000000010 &lt;server1&gt;:</c>) and jump targets (<c>goto +0x3 &lt;server1+0x28&gt;</c>) when labels are
/// given, <c>&lt;unknown&gt;</c> for what LLVM 19 cannot decode, and <c>...</c> for runs of zero bytes.</summary>
public static class Disassembler
{
    /// <summary>Disassembles instructions; <paramref name="labels"/> maps byte offsets to names (function symbols).</summary>
    public static string Disassemble(ReadOnlySpan<Instruction> code, IReadOnlyDictionary<long, string>? labels = null) =>
        Disassemble(Instruction.ToBytes(code), labels);

    /// <summary>Disassembles raw little-endian instruction bytes; <paramref name="labels"/> maps byte offsets to names.</summary>
    public static string Disassemble(ReadOnlySpan<byte> code, IReadOnlyDictionary<long, string>? labels = null)
    {
        var text = new StringBuilder();
        var sink = new StringBuilderSink(text);
        WriteCode(code, code.Length, SymbolsFrom(labels), ref sink);
        return text.ToString();
    }

    /// <summary>Disassembles instructions into <paramref name="output"/>, piece by piece with each piece's kind.</summary>
    internal static void Disassemble(ReadOnlySpan<Instruction> code, DisassemblyOutput output,
        IReadOnlyDictionary<long, string>? labels = null) =>
        Disassemble(Instruction.ToBytes(code), output, labels);

    /// <summary>Disassembles raw instruction bytes into <paramref name="output"/>, piece by piece with each piece's kind.</summary>
    internal static void Disassemble(ReadOnlySpan<byte> code, DisassemblyOutput output, IReadOnlyDictionary<long, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sink = new OutputSink(output);
        WriteCode(code, code.Length, SymbolsFrom(labels), ref sink);
    }

    /// <summary>The text of the instruction at <paramref name="index"/> alone, as llvm-objdump prints it after the bytes
    /// (<c>r2 = 0xeb9f000100000003 ll</c>: a <c>lddw</c> with its second slot's high half), or <c>&lt;unknown&gt;</c>;
    /// empty past the end.</summary>
    public static string FormatInstruction(ReadOnlySpan<Instruction> code, int index)
    {
        var text = new StringBuilder();
        var sink = new StringBuilderSink(text);
        FormatInstruction(code, index, ref sink);
        return text.ToString();
    }

    /// <summary>Writes <see cref="FormatInstruction(ReadOnlySpan{Instruction}, int)"/>'s text into
    /// <paramref name="output"/>, piece by piece with each piece's kind.</summary>
    internal static void FormatInstruction(ReadOnlySpan<Instruction> code, int index, DisassemblyOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sink = new OutputSink(output);
        FormatInstruction(code, index, ref sink);
    }

    static void FormatInstruction<TSink>(ReadOnlySpan<Instruction> code, int index, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        if ((uint)index >= (uint)code.Length) return;
        var high = code[index].Opcode == Opcode.Lddw && index + 1 < code.Length ? (uint)code[index + 1].Imm : 0;
        if (!InstructionFormatter.TryFormat(code[index], high, ref sink))
            sink.Write("<unknown>", TextKind.Invalid);
    }

    static DisassemblySymbol[] SymbolsFrom(IReadOnlyDictionary<long, string>? labels) =>
        labels is null ? [] : labels.Select(l => new DisassemblySymbol((ulong)l.Key, l.Value, IsData: false))
            .OrderBy(s => s.Address).ToArray();

    /// <summary>Writes a section of <paramref name="size"/> bytes the way llvm-objdump walks it: one chunk per address
    /// that has symbols, from that address to the next (instructions may run past a chunk's end; the next chunk
    /// starts again at its own address). <paramref name="symbols"/> must be sorted in llvm-objdump's order (address,
    /// then name, then type); the last symbol of an address names jump targets there, the last code symbol heads
    /// the chunk. Bytes before the first symbol are printed without a heading. When <paramref name="code"/> is
    /// shorter than <paramref name="size"/> (a section with no file data), chunks print <c>...</c>.</summary>
    internal static void WriteCode<TSink>(ReadOnlySpan<byte> code, long size, IReadOnlyList<DisassemblySymbol> symbols, ref TSink sink)
        where TSink : ITextSink, allows ref struct
    {
        var end = (ulong)size;
        var hasBytes = code.Length == size;
        if (symbols.Count == 0 || symbols[0].Address > 0)
        {
            var first = symbols.Count == 0 ? end : Math.Min(end, symbols[0].Address);
            if (first > 0 && hasBytes)
                WriteInstructions(code, 0, first, symbols, ref sink);
        }
        for (var i = 0; i < symbols.Count;)
        {
            var start = symbols[i].Address;
            var groupStart = i;
            while (i < symbols.Count && symbols[i].Address == start)
                i++;
            var chunkEnd = i < symbols.Count ? Math.Min(end, symbols[i].Address) : end;
            if (start >= chunkEnd)
                continue;
            // Code wins over data at one address; the heading shows the last code symbol (or the last symbol).
            var display = i - 1;
            var isData = true;
            for (var j = groupStart; j < i; j++)
                if (!symbols[j].IsData)
                    (isData, display) = (false, j);
            WriteLabel(start, symbols[display].Name, ref sink);
            if (!hasBytes)
                sink.Write("...\n", TextKind.Data);
            else if (isData)
                WriteData(code, start, chunkEnd, ref sink);
            else
                WriteInstructions(code, start, chunkEnd, symbols, ref sink);
        }
    }

    /// <summary><c>\n0000000000000010 &lt;server1&gt;:\n</c>.</summary>
    internal static void WriteLabel<TSink>(ulong address, string name, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        Span<char> digits = stackalloc char[16];
        address.TryFormat(digits, out _, "x16");
        sink.Write("\n", TextKind.Text);
        sink.Write(digits, TextKind.Address);
        sink.Write(" ", TextKind.Text);
        sink.Write("<", TextKind.Label);
        sink.Write(name, TextKind.Label);
        sink.Write(">", TextKind.Label);
        sink.Write(":\n", TextKind.Text);
    }

    static void WriteInstructions<TSink>(ReadOnlySpan<byte> code, ulong start, ulong end, IReadOnlyList<DisassemblySymbol> symbols,
        ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        Span<char> text = stackalloc char[64];
        for (var index = start; index < end;)
        {
            var zeros = SkippableZeros(code.Slice((int)index, (int)(end - index)));
            if (zeros > 0)
            {
                sink.Write("\t\t", TextKind.Text);
                sink.Write("...", TextKind.Data);
                sink.Write("\n", TextKind.Text);
                index += (ulong)zeros;
                continue;
            }
            // Like llvm-objdump, decode from everything left in the section, not just up to the next symbol.
            var rest = code[(int)index..];
            var size = 1;
            var decoded = false;
            var insn = default(Instruction);
            uint high = 0;
            if (rest.Length >= Instruction.Size)
            {
                insn = Instruction.Read(rest);
                decoded = InstructionFormatter.Decodes(insn);
                size = Instruction.Size;
                if (decoded && insn.Opcode == Opcode.Lddw)
                {
                    // A lddw without its second slot fails with size 0, and llvm-objdump then skips one byte.
                    if (rest.Length >= 2 * Instruction.Size)
                        (size, high) = (2 * Instruction.Size, BinaryPrimitives.ReadUInt32LittleEndian(rest[12..]));
                    else
                        (size, decoded) = (1, false);
                }
            }
            else
            {
                decoded = false;
            }
            (index / Instruction.Size).TryFormat(text, out var written);
            sink.Write(Spaces(8 - Math.Min(8, written)), TextKind.Text);
            sink.Write(text[..written], TextKind.Address);
            sink.Write(":\t", TextKind.Text);
            WriteBytes(rest[..size], ref sink);
            sink.Write("\t", TextKind.Text);
            if (decoded)
            {
                InstructionFormatter.TryFormat(insn, high, ref sink);
                WriteTarget(insn, index, (ulong)size, symbols, ref sink);
            }
            else
            {
                sink.Write("<unknown>", TextKind.Invalid);
            }
            sink.Write("\n", TextKind.Text);
            index += (ulong)size;
        }
    }

    /// <summary>llvm-objdump skips zero runs of at least 8 bytes, in multiples of 4 ("unless we see at least 8 of
    /// them in a row", "do not want to truncate an instruction if it starts with a zero byte").</summary>
    static int SkippableZeros(ReadOnlySpan<byte> bytes)
    {
        var n = bytes.IndexOfAnyExcept((byte)0);
        if (n < 0) n = bytes.Length;
        return n < 8 ? 0 : n & ~3;
    }

    static void WriteBytes<TSink>(ReadOnlySpan<byte> bytes, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        Span<char> hex = stackalloc char[16 * 3];
        var length = 0;
        foreach (var b in bytes)
        {
            if (length > 0) hex[length++] = ' ';
            b.TryFormat(hex[length..], out _, "x2");
            length += 2;
        }
        sink.Write(hex[..length], TextKind.Bytes);
    }

    /// <summary>The target of a jump as llvm-objdump annotates it: the last symbol at or before the target, plus the
    /// distance in bytes. The arithmetic is unsigned 64-bit, as LLVM's, so jumps before the start wrap around.</summary>
    static void WriteTarget<TSink>(Instruction insn, ulong address, ulong size, IReadOnlyList<DisassemblySymbol> symbols,
        ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        if (!InstructionFormatter.TryGetJumpDisplacement(insn, out var displacement))
            return;
        var target = unchecked(address + size + (ulong)(long)displacement * size);
        var found = LastAtOrBefore(symbols, target);
        if (found < 0)
            return;
        var symbol = symbols[found];
        sink.Write(" ", TextKind.Text);
        sink.Write("<", TextKind.Label);
        sink.Write(symbol.Name, TextKind.Label);
        if (target != symbol.Address)
        {
            Span<char> offset = stackalloc char[19];
            "+0x".CopyTo(offset);
            (target - symbol.Address).TryFormat(offset[3..], out var digits, "x");
            sink.Write(offset[..(3 + digits)], TextKind.Label);
        }
        sink.Write(">", TextKind.Label);
    }

    static int LastAtOrBefore(IReadOnlyList<DisassemblySymbol> symbols, ulong target)
    {
        int low = 0, high = symbols.Count;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (symbols[middle].Address <= target) low = middle + 1;
            else high = middle;
        }
        return low - 1;
    }

    /// <summary>Bytes under a data symbol in an executable section, 8 per line with their characters, as
    /// llvm-objdump's dumpELFData prints them (addresses in hex here, unlike instruction lines).</summary>
    static void WriteData<TSink>(ReadOnlySpan<byte> code, ulong start, ulong end, ref TSink sink) where TSink : ITextSink, allows ref struct
    {
        Span<char> text = stackalloc char[24];
        Span<char> characters = stackalloc char[8];
        for (var line = start; line < end; line += 8)
        {
            var count = (int)Math.Min(8, end - line);
            line.TryFormat(text, out var written, "x");
            sink.Write(Spaces(8 - Math.Min(8, written)), TextKind.Text);
            sink.Write(text[..written], TextKind.Address);
            sink.Write(":", TextKind.Text);
            for (var i = 0; i < count; i++)
            {
                var b = code[(int)line + i];
                text[0] = ' ';
                b.TryFormat(text[1..], out _, "x2");
                sink.Write(text[..3], TextKind.Bytes);
                characters[i] = b is >= 0x20 and <= 0x7e ? (char)b : '.';
            }
            sink.Write(Spaces(3 * (8 - count) + 9), TextKind.Text);
            sink.Write(characters[..count], TextKind.Data);
            sink.Write("\n", TextKind.Text);
        }
    }

    static ReadOnlySpan<char> Spaces(int count) => "                                        ".AsSpan(0, count);
}
