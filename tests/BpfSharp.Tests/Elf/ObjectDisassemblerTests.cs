using BpfSharp.Elf;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Elf;

public class ObjectDisassemblerTests
{
    public static TheoryData<string> Objects => Fixtures.Objects;

    [Theory, MemberData(nameof(Objects))]
    public void Listing_equals_the_committed_llvm_objdump_19_output(string fixture)
    {
        var expected = File.ReadAllText(Fixtures.PathOf(Path.ChangeExtension(fixture, ".objdump")));
        var actual = ObjectDisassembler.Disassemble(ObjectFile.Read(Fixtures.PathOf(fixture)), fixture);
        AssertSameListing(expected, actual);
    }

    [TheoryRequires(Requirement.LlvmObjdump19), MemberData(nameof(Objects))]
    public void Listing_equals_llvm_objdump_19_run_now(string fixture)
    {
        var path = Fixtures.PathOf(fixture);
        var (exitCode, expected, stderr) = Requirements.Run("llvm-objdump-19", ["-d", path]);
        Assert.True(exitCode == 0, stderr);
        AssertSameListing(expected, ObjectDisassembler.Disassemble(ObjectFile.Read(path), path));
    }

    [FactRequires(Requirement.Shared)]
    public void Drinks_listing_equals_the_one_in_the_style_guide()
    {
        var path = Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o");
        var text = ObjectDisassembler.Disassemble(ObjectFile.Read(path), "drinks.o");
        Assert.Contains("       0:\t18 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr2 = 0x0 ll\n", text);
        Assert.Contains("       3:\t85 00 00 00 0c 00 00 00\tcall 0xc\n", text);
        Assert.Contains("\n0000000000000010 <server1>:\n       2:\t85 10 00 00 ff ff ff ff\tcall -0x1\n", text);
    }

    [Fact]
    public void Chosen_sections_are_listed_even_without_code_as_llvm_objdump_j_does()
    {
        // llvm-objdump-19 -d -j .bss -j .data maps.o (sections come in header order, whatever the order asked)
        const string expected = """

            maps.o:	file format elf64-bpf

            Disassembly of section .data:

            0000000000000000 <packets>:
                   0:	01 00 00 00 00 00 00 00	<unknown>

            0000000000000008 <greeting>:
                   1:	68	<unknown>
                   1:	65	<unknown>
                   1:	6c	<unknown>
                   1:	6c	<unknown>
                   1:	6f	<unknown>
                   1:	00	<unknown>

            Disassembly of section .bss:

            0000000000000000 <dropped>:
            ...

            """;
        var obj = ObjectFile.Read(Fixtures.PathOf("maps.o"));
        Assert.Equal(expected, ObjectDisassembler.Disassemble(obj, "maps.o", [".bss", ".data", "nosuch"]));
    }

    /// <summary>Compares line by line, so that a failure names the first differing line; the line with the path
    /// (the second: llvm-objdump starts with an empty one) may differ.</summary>
    internal static void AssertSameListing(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        Assert.EndsWith(":\tfile format elf64-bpf", got[1]);
        for (var i = 0; i < Math.Min(want.Length, got.Length); i++)
            if (i != 1)
                Assert.True(want[i] == got[i], $"line {i + 1}:\n  llvm-objdump: {want[i]}\n  BpfSharp:     {got[i]}");
        Assert.Equal(want.Length, got.Length);
    }
}
