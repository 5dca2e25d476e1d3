using System.Diagnostics;
using BpfSharp.Elf;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Elf;

/// <summary>A deterministic mutation fuzz (fixed seed): random byte changes and truncations of every fixture, aimed
/// mostly at the ELF header, the section headers, the symbol table and relocations, where a flipped byte changes
/// structure rather than code. Whatever the bytes, reading throws nothing but ObjectFormatException, with a
/// location, and whatever reads can be disassembled.</summary>
public class ObjectFileFuzzTests
{
    const int MutationsPerFixture = 2500;
    static readonly byte[] Interesting = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

    public static TheoryData<string> Objects => Fixtures.Objects;

    [Theory, MemberData(nameof(Objects))]
    public void Mutated_objects_fail_only_with_ObjectFormatException(string fixture)
    {
        var original = Fixtures.Bytes(fixture);
        var regions = Regions(ObjectFile.Read(original), original);
        var random = new Random(0x5eed ^ fixture.Length);
        var clock = Stopwatch.StartNew();
        int rejected = 0, disassembled = 0;
        for (var i = 0; i < MutationsPerFixture; i++)
        {
            var bytes = Mutate(original, regions, random);
            try
            {
                var obj = ObjectFile.Read(bytes);
                // Disassembling a big object thousands of times would dominate the run: do every 25th.
                if (original.Length < 20_000 || i % 25 == 0)
                {
                    ObjectDisassembler.Disassemble(obj, fixture);
                    disassembled++;
                }
            }
            catch (ObjectFormatException e)
            {
                Assert.True(e.Section is not null || e.FileOffset >= 0, $"mutation {i}: no location in \"{e.Message}\"");
                rejected++;
            }
        }
        Assert.True(rejected > MutationsPerFixture / 10, $"only {rejected} of {MutationsPerFixture} mutations were rejected");
        Assert.True(disassembled > 0);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    /// <summary>Where to aim: the ELF header, the section header table, each table section, anywhere.</summary>
    static (int Start, int Length)[] Regions(ObjectFile obj, byte[] file)
    {
        var tables = obj.Sections
            .Where(s => s.Type is ElfSectionType.SymbolTable or ElfSectionType.Rel or ElfSectionType.Rela && s.Size > 0)
            .Select(s => ((int)s.FileOffset, (int)s.Size));
        var headers = ((int)BitConverter.ToUInt64(file.AsSpan(40)), 64 * obj.Sections.Count);
        return [(0, 64), headers, (0, file.Length), .. tables];
    }

    static byte[] Mutate(byte[] original, (int Start, int Length)[] regions, Random random)
    {
        if (random.Next(10) == 0)
            return original.AsSpan(0, random.Next(original.Length)).ToArray();
        var bytes = original.ToArray();
        var (start, length) = regions[random.Next(regions.Length)];
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var at = start + random.Next(length);
            bytes[at] = random.Next(3) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256);
        }
        return bytes;
    }
}
