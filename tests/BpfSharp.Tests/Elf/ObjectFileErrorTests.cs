using BpfSharp.Elf;

namespace BpfSharp.Tests.Elf;

/// <summary>Each malformation on a hand-corrupted copy of calls.o: the reader throws ObjectFormatException naming the
/// section and/or file offset, never an exception from inside.</summary>
public class ObjectFileErrorTests
{
    static ElfPatch Calls() => new("calls.o");

    [Fact]
    public void Bad_magic_is_not_an_ELF_file()
    {
        var e = Calls().U8(1, (byte)'X').Fails();
        Assert.Contains("not an ELF file", e.Message);
        Assert.Equal(0, e.FileOffset);
    }

    [Fact]
    public void Empty_input_is_not_an_ELF_file() =>
        Assert.Contains("not an ELF file", Assert.Throws<ObjectFormatException>(() => ObjectFile.Read([])).Message);

    [Fact]
    public void A_truncated_header_is_reported() =>
        Assert.Contains("too short for the 64-byte ELF64 header",
            Assert.Throws<ObjectFormatException>(() => ObjectFile.Read(Calls().Bytes.AsSpan(0, 40))).Message);

    [Fact]
    public void ELFCLASS32_is_rejected()
    {
        var e = Calls().U8(4, 1).Fails();
        Assert.Contains("ELFCLASS32", e.Message);
        Assert.Equal(4, e.FileOffset);
    }

    [Fact]
    public void Big_endian_is_rejected() => Assert.Contains("big-endian", Calls().U8(5, 2).Fails().Message);

    [Fact]
    public void A_wrong_machine_is_named()
    {
        var e = Calls().U16(18, 62).Fails();
        Assert.Contains("EM_X86_64 (62), not EM_BPF (247)", e.Message);
        Assert.Equal(18, e.FileOffset);
        Assert.Contains("machine 9999", Calls().U16(18, 9999).Fails().Message);
    }

    [Fact]
    public void An_executable_is_not_a_relocatable_object() => Assert.Contains("ET_EXEC", Calls().U16(16, 2).Fails().Message);

    [Fact]
    public void Section_header_table_beyond_the_file_is_rejected()
    {
        var e = Calls().U64(40, 0xffff_ffff_ffff_fff0).Fails();
        Assert.Contains("section header table", e.Message);
        Assert.Equal(40, e.FileOffset);
    }

    [Fact]
    public void Too_many_sections_for_the_file_are_rejected() =>
        Assert.Contains("runs past the end", Calls().U16(60, 0xfffe).Fails().Message);

    [Fact]
    public void A_wrong_section_header_size_is_rejected() => Assert.Contains("e_shentsize is 40", Calls().U16(58, 40).Fails().Message);

    [Fact]
    public void A_file_cut_before_its_section_headers_is_rejected()
    {
        var patch = Calls();
        var e = Assert.Throws<ObjectFormatException>(() => ObjectFile.Read(patch.Bytes.AsSpan(0, (int)patch.SectionHeaderTable + 100)));
        Assert.Contains("runs past the end", e.Message);
    }

    [Fact]
    public void Section_name_table_index_out_of_range_is_rejected() =>
        Assert.Contains("e_shstrndx 200", Calls().U16(62, 200).Fails().Message);

    [Fact]
    public void Section_data_outside_the_file_names_the_section()
    {
        var patch = Calls();
        var e = patch.U64(patch.Header("tc") + 24, 0x7fff_0000).Fails();
        Assert.Equal("tc", e.Section);
        Assert.Equal(patch.Header("tc"), e.FileOffset);
        Assert.Contains("outside the", e.Message);
    }

    [Fact]
    public void A_huge_section_size_is_rejected_without_overflow()
    {
        var patch = Calls();
        var e = patch.U64(patch.Header("tc") + 32, ulong.MaxValue).Fails();
        Assert.Equal("tc", e.Section);
        Assert.Contains("0xffffffffffffffff bytes", e.Message);
    }

    [Fact]
    public void Overlapping_section_data_names_both_sections()
    {
        var patch = Calls();
        var e = patch.U64(patch.Header("tc") + 24, (ulong)patch.Section(".text").FileOffset + 8).Fails();
        Assert.Equal("tc", e.Section);
        Assert.Contains("overlaps section .text", e.Message);
    }

    [Fact]
    public void Section_data_over_the_section_header_table_is_rejected()
    {
        var patch = Calls();
        var e = patch.U64(patch.Header("license") + 24, (ulong)patch.SectionHeaderTable).Fails();
        Assert.Equal("license", e.Section);
        Assert.Contains("overlaps the section header table", e.Message);
    }

    [Fact]
    public void A_section_name_outside_the_string_table_is_rejected()
    {
        var patch = Calls();
        var e = patch.U32(patch.Header("tc"), 0x00ff_ffff).Fails();
        Assert.Equal(patch.Header("tc"), e.FileOffset);
        Assert.Contains("string-table offset 0xffffff is beyond", e.Message);
    }

    [Fact]
    public void A_symbol_name_outside_the_string_table_names_the_symbol_table()
    {
        var patch = Calls();
        var e = patch.U32(patch.Symbol("leaf"), 0x00ff_ffff).Fails();
        Assert.Equal(".symtab", e.Section);
        Assert.Equal(patch.Symbol("leaf"), e.FileOffset);
        Assert.Contains("symbol 18's name", e.Message);
    }

    [Fact]
    public void A_symbol_in_a_section_that_does_not_exist_is_rejected()
    {
        var patch = Calls();
        var e = patch.U16(patch.Symbol("leaf") + 6, 200).Fails();
        Assert.Equal(".symtab", e.Section);
        Assert.Contains("symbol 18 (leaf) is in section 200", e.Message);
    }

    [Fact]
    public void A_wrong_symbol_entry_size_is_rejected() =>
        Assert.Equal(".symtab", Calls().Let(p => p.U64(p.Header(".symtab") + 56, 16)).Fails().Section);

    [Fact]
    public void A_relocation_of_a_missing_symbol_names_the_relocation_section()
    {
        var patch = Calls();
        var entry = patch.Section(".reltc").FileOffset + 16; // the second relocation
        var e = patch.U32(entry + 12, 999).Fails();
        Assert.Equal(".reltc", e.Section);
        Assert.Equal(entry, e.FileOffset);
        Assert.Contains("relocation 1 refers to symbol 999", e.Message);
    }

    [Fact]
    public void A_relocation_outside_its_target_section_is_rejected()
    {
        var patch = Calls();
        var entry = patch.Section(".reltc").FileOffset + 48; // the lddw at 0xd0; tc is 0x100 bytes
        var e = patch.U64(entry, 0xf8).Fails();
        Assert.Equal(".reltc", e.Section);
        Assert.Contains("relocation 3 (Bpf64_64, 16 bytes at offset 0xf8) is outside section tc", e.Message);
        Assert.Contains("at offset 0xffffffffffffffff",
            Calls().Let(p => p.U64(p.Section(".reltc").FileOffset, ulong.MaxValue)).Fails().Message);
    }

    [Fact]
    public void An_unknown_relocation_type_is_rejected() =>
        Assert.Contains("unknown type 7", Calls().Let(p => p.U32(p.Section(".reltc").FileOffset + 8, 7)).Fails().Message);

    [Fact]
    public void A_relocation_section_for_a_section_that_does_not_exist_is_rejected() =>
        Assert.Contains("sh_info 99", Calls().Let(p => p.U32(p.Header(".reltc") + 44, 99)).Fails().Message);

    [Fact]
    public void A_link_to_a_section_that_does_not_exist_is_rejected() =>
        Assert.Equal(".reltc", Calls().Let(p => p.U32(p.Header(".reltc") + 40, 99)).Fails().Section);
}

static class ElfPatchExtensions
{
    public static ElfPatch Let(this ElfPatch patch, Action<ElfPatch> change)
    {
        change(patch);
        return patch;
    }
}
