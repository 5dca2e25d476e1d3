using BpfSharp.Elf;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Elf;

public class ObjectFileTests
{
    public static TheoryData<string> Objects => Fixtures.Objects;

    [Theory, MemberData(nameof(Objects))]
    public void Every_fixture_reads(string fixture)
    {
        var obj = ObjectFile.Read(Fixtures.PathOf(fixture));
        Assert.Equal(ElfSectionType.Null, obj.Sections[0].Type);
        Assert.Contains(obj.Sections, s => s.IsExecutable && s.Size > 0);
        Assert.All(obj.Sections.Where(s => s.HasFileData), s => Assert.Equal(s.Size, s.Data.Length));
    }

    [Fact]
    public void Sections_carry_their_header_fields_and_bytes()
    {
        // llvm-readelf-19 -S calls.o: [ 4] tc PROGBITS off 0x0000b8 size 0x000100 flags AX align 8
        var bytes = Fixtures.Bytes("calls.o");
        var tc = ObjectFile.Read(bytes).FindSection("tc")!;
        Assert.Equal(4, tc.Index);
        Assert.Equal(ElfSectionType.ProgBits, tc.Type);
        Assert.Equal(ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, tc.Flags);
        Assert.Equal(0xb8, tc.FileOffset);
        Assert.Equal(0x100, tc.Size);
        Assert.Equal(8UL, tc.Alignment);
        Assert.True(tc.IsExecutable);
        Assert.Equal(bytes.AsSpan(0xb8, 0x100).ToArray(), tc.Data.ToArray());
    }

    [Fact]
    public void Lookups_find_sections_by_name_and_index()
    {
        var obj = ObjectFile.Read(Fixtures.PathOf("calls.o"));
        Assert.Same(obj.Sections[2], obj.FindSection(".text"));
        Assert.Same(obj.FindSection("tc"), obj.FindSection(4));
        Assert.Null(obj.FindSection("nosuch"));
        Assert.Null(obj.FindSection(-1));
        Assert.Null(obj.FindSection(obj.Sections.Count));
    }

    [Fact]
    public void Symbols_have_name_value_size_type_binding_and_section()
    {
        // llvm-readelf-19 -s calls.o
        var obj = ObjectFile.Read(Fixtures.PathOf("calls.o"));
        var leaf = obj.Symbols.Single(s => s.Name == "leaf");
        Assert.Equal(new ElfSymbol(18, "leaf", 0x60, 56, ElfSymbolType.Func, ElfSymbolBinding.Global, 0, 4), leaf);
        var square = obj.Symbols.Single(s => s.Name == "square");
        Assert.Equal((ElfSymbolType.Func, ElfSymbolBinding.Local, 2), (square.Type, square.Binding, square.SectionIndex));
        var file = obj.Symbols.Single(s => s.Type == ElfSymbolType.File);
        Assert.Equal(("calls.c", ElfSymbol.Absolute, false), (file.Name, file.SectionIndex, file.IsInSection));
        Assert.Equal(ElfSymbolType.Object, obj.Symbols.Single(s => s.Name == "jump_table").Type);
        Assert.Equal("", obj.Symbols[0].Name);
    }

    [Fact]
    public void Symbols_in_a_section_are_listed_in_table_order()
    {
        var obj = ObjectFile.Read(Fixtures.PathOf("calls.o"));
        var functions = obj.SymbolsIn(obj.FindSection("tc")!).Where(s => s.Type == ElfSymbolType.Func).Select(s => s.Name);
        Assert.Equal(["entry", "leaf", "indirect", "direct_tail_call"], functions);
        Assert.Equal(["sum_of_squares", "dispatch", "square"],
            obj.SymbolsIn(obj.FindSection(".text")!).Where(s => s.Type == ElfSymbolType.Func).Select(s => s.Name));
    }

    [Fact]
    public void Relocations_of_a_section_come_from_its_rel_section()
    {
        // llvm-readelf-19 -r calls.o, section .reltc
        var obj = ObjectFile.Read(Fixtures.PathOf("calls.o"));
        var tc = obj.FindSection("tc")!;
        Assert.Equal([".reltc"], obj.RelocationSectionsFor(tc).Select(s => s.Name));
        var text = obj.Symbols.Single(s => s.Type == ElfSymbolType.Section && s.SectionIndex == 2).Index;
        var table = obj.Symbols.Single(s => s.Name == "jump_table").Index;
        Assert.Equal(
            [
                new ElfRelocation(0x18, text, ElfRelocationType.Bpf64_32, 0),
                new ElfRelocation(0x40, text, ElfRelocationType.Bpf64_32, 0),
                new ElfRelocation(0x98, text, ElfRelocationType.Bpf64_64, 0),
                new ElfRelocation(0xd0, table, ElfRelocationType.Bpf64_64, 0),
            ],
            obj.RelocationsFor(tc));
        Assert.Equal(16, obj.RelocationsFor(tc).First(r => r.Type == ElfRelocationType.Bpf64_64).Width);
    }

    [Fact]
    public void Global_data_sections_include_bss_without_file_bytes()
    {
        var obj = ObjectFile.Read(Fixtures.PathOf("maps.o"));
        var bss = obj.FindSection(".bss")!;
        Assert.Equal((ElfSectionType.NoBits, 8L, 0, false), (bss.Type, bss.Size, bss.Data.Length, bss.HasFileData));
        Assert.Equal("hello\0", System.Text.Encoding.ASCII.GetString(obj.FindSection(".data")!.Data.Span[8..]));
        Assert.Equal(1500, BitConverter.ToInt32(obj.FindSection(".rodata")!.Data.Span));
        Assert.Equal(["counts", "config"], obj.SymbolsIn(obj.FindSection(".maps")!).Select(s => s.Name));
    }

    [Fact]
    public void Reading_depends_on_the_bytes_only()
    {
        var bytes = Fixtures.Bytes("maps.o");
        var a = ObjectFile.Read(bytes);
        var b = ObjectFile.Read(Fixtures.PathOf("maps.o"));
        bytes[0x300] ^= 0xff; // the copy is the object's own: later changes to the caller's array do not show
        Assert.Equal(a.Sections.Select(s => (s.Name, s.Data.ToArray())), b.Sections.Select(s => (s.Name, s.Data.ToArray())));
        Assert.Equal(a.Symbols, b.Symbols);
    }

    [Fact]
    public void Rela_sections_carry_explicit_addends()
    {
        // No BPF compiler writes SHT_RELA, so append .rel.text's one entry to the file as a 24-byte RELA entry with
        // addend 0x10 and point the section's header at it.
        var patch = new ElfPatch("calls.o");
        var entry = patch.Section(".rel.text").Data.ToArray().Concat(BitConverter.GetBytes(0x10L)).ToArray();
        var header = patch.Header(".rel.text");
        var end = (ulong)patch.Bytes.Length;
        patch.U32(header + 4, (uint)ElfSectionType.Rela).U64(header + 24, end).U64(header + 32, 24).U64(header + 56, 24);
        var obj = ObjectFile.Read(patch.Bytes.Concat(entry).ToArray());
        var relocation = Assert.Single(obj.RelocationsFor(obj.FindSection(".text")!));
        Assert.Equal((0x40L, ElfRelocationType.Bpf64_64, 0x10L), (relocation.Offset, relocation.Type, relocation.Addend));
        Assert.Equal(ElfSectionType.Rela, obj.FindSection(".rel.text")!.Type);
    }
}
