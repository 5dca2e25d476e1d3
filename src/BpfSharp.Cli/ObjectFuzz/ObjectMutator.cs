using System.Buffers.Binary;

namespace BpfSharp.Cli.ObjectFuzz;

/// <summary>Malformed variants of a well-formed object: a few bytes changed, aimed at one region at a time (the ELF
/// header, the section header table, or one section: a symbol table, relocations, BTF and .maps change structure,
/// not just code), or the file cut short.</summary>
internal sealed class ObjectMutator(byte[] original)
{
    static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
    static readonly uint[] InterestingWords = [0, 1, 8, 16, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0xffff_ffff];

    readonly (int Start, int Length)[] regions = Regions(original);

    public byte[] Next(Random random)
    {
        if (random.Next(20) == 0) return original.AsSpan(0, random.Next(original.Length)).ToArray();
        var bytes = original.ToArray();
        var (start, length) = regions[random.Next(regions.Length)];
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = start + random.Next(length);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)]; break;
                case 2 when at + 4 <= bytes.Length:
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), InterestingWords[random.Next(InterestingWords.Length)]);
                    break;
                default: bytes[at] ^= (byte)(1 << random.Next(8)); break;
            }
        }
        return bytes;
    }

    /// <summary>The whole file, its ELF header, its section header table and each section's bytes, as far as the
    /// (well-formed) original says where they are.</summary>
    static (int Start, int Length)[] Regions(byte[] file)
    {
        var regions = new List<(int, int)> { (0, file.Length) };
        if (file.Length < 64) return [.. regions];
        regions.Add((0, 64));
        var table = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3c));
        if (table == 0 || table + count * 64UL > (ulong)file.Length) return [.. regions];
        regions.Add(((int)table, count * 64));
        for (var i = 1; i < count; i++)
        {
            var header = file.AsSpan((int)table + i * 64);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
            var noBits = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == 8;   // SHT_NOBITS: nothing in the file
            if (!noBits && size > 0 && offset + size <= (ulong)file.Length) regions.Add(((int)offset, (int)size));
        }
        return [.. regions];
    }
}
