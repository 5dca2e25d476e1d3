using System.Buffers.Binary;
using BpfSharp.Btf;
using BpfSharp.Cli.ObjectFuzz;
using BpfSharp.Elf;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Loading;

/// <summary>Hostile or broken objects — flipped bytes, cut files, bad relocations, looping BTF, huge sizes — give an
/// error naming what is wrong (a <see cref="BpfException"/>), never another exception, a crash or a hang.</summary>
public class HostileObjectTests
{
    /// <summary>Every fixture object, in any folder.</summary>
    public static TheoryData<string> Objects
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var path in Directory.GetFiles(Requirements.FixturesDirectory, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(Requirements.FixturesDirectory, path));
            return data;
        }
    }

    /// <summary>Loads (verified and not, alternately) of mutated copies, as <c>bpfsharp fuzz --objects</c> makes them
    /// (<see cref="ObjectMutator"/>): 60 per fixture in a test run; <c>BPFSHARP_OBJECT_FUZZ_ROUNDS</c> sets another
    /// number.</summary>
    [Theory, MemberData(nameof(Objects))]
    public void Mutated_objects_load_or_fail_with_a_named_error(string fixture)
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_OBJECT_FUZZ_ROUNDS"), out var n) ? n : 60;
        var original = File.ReadAllBytes(Path.Combine(Requirements.FixturesDirectory, fixture));
        var random = new Random(fixture.Length * 7919 + fixture[0]);
        var target = TargetBtf.Shipped(System.Runtime.InteropServices.Architecture.X64);
        var mutator = new ObjectMutator(original);
        for (var round = 0; round < rounds; round++)
        {
            var bytes = mutator.Next(random);
            try
            {
                using var obj = BpfObject.Load(ObjectSpec.Read(bytes, "fuzz"), new LoadOptions { TargetBtf = target, Verify = round % 2 == 0 });
            }
            catch (BpfException)
            {
            }
        }
    }

    /// <summary>Found by <c>fuzz --objects</c> (a byte of a symbol's name offset changed): two undefined symbols that
    /// name the same kfunc made a duplicate-key ArgumentException, not a named error.</summary>
    [Fact]
    public void Two_symbols_naming_one_extern_are_a_named_error()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Requirements.FixturesDirectory, "helpers", "dynptr_skb.o"));
        var file = ObjectFile.Read(bytes);
        var symtab = file.Sections.Single(s => s.Type == ElfSectionType.SymbolTable);
        var externs = file.Symbols.Where(s => s.SectionIndex == ElfSymbol.Undefined && s.Name.StartsWith("bpf_dynptr_", StringComparison.Ordinal)).ToList();
        var (kept, renamed) = (externs[0], externs[1]);
        var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)symtab.FileOffset + kept.Index * 24));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)symtab.FileOffset + renamed.Index * 24), nameOffset);
        var e = Assert.Throws<ObjectFormatException>(() => ObjectSpec.Read(bytes, "dup"));
        Assert.Equal($"section .symtab: extern '{kept.Name}' has two symbols in the symbol table", e.Message);
    }

    /// <summary>Found by <c>fuzz --objects</c>: may_goto.o's count_to with <c>w0 += 0xff000001</c> for <c>w0 += 1</c>
    /// (one byte of an immediate) keeps more loop states at its may_goto than the verifier holds at one instruction;
    /// the widening step then looked for the previous iteration among checkpoints already forgotten and threw
    /// InvalidOperationException. Like the kernel's find_prev_entry, it now only finds checkpoints still kept.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_may_goto_loop_with_more_states_than_are_kept_loads(bool verify)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Requirements.FixturesDirectory, "instructions", "may_goto.o"));
        var text = ObjectFile.Read(bytes).FindSection(".text")!;
        var immediateHighByte = (int)text.FileOffset + 2 * 8 + 7;   // insn 2 of count_to: w0 += 1
        Assert.Equal([0x04, 0x01, 0x00], new[] { bytes[(int)text.FileOffset + 16], bytes[immediateHighByte - 3], bytes[immediateHighByte] });
        bytes[immediateHighByte] = 0xff;
        using var obj = BpfObject.Load(bytes, "may_goto", new LoadOptions { Verify = verify });
        Assert.Contains("nested", obj.Programs.Keys);
    }

    /// <summary>Found by <c>fuzz --objects</c> (hash_of_maps.o with a key size of 2052): filling a statically initialised
    /// slot of a map whose keys are not 4 bytes threw ArgumentException. libbpf refuses such an object (".maps relo #0:
    /// hash-of-maps 'outer' should have key size 4."); so does BpfSharp, by name (wide_key_slots.c, 8-byte keys).</summary>
    [Fact]
    public void Static_slots_of_a_map_with_wider_keys_are_a_named_error()
    {
        var e = Assert.Throws<ObjectFormatException>(() => ObjectSpec.Read(Path.Combine(Requirements.FixturesDirectory, "loading", "wide_key_slots.o")));
        Assert.Equal("section .maps: map 'outer': slots initialised in .maps need a key of 4 bytes, not 8", e.Message);
    }

    /// <summary>A .BTF blob: the header, <paramref name="types"/> and the string section "\0t\0".</summary>
    static byte[] Btf(byte[] types)
    {
        var strings = "\0t\0"u8.ToArray();
        var blob = new byte[24 + types.Length + strings.Length];
        BitConverter.GetBytes((ushort)0xeB9F).CopyTo(blob, 0);
        blob[2] = 1;
        BitConverter.GetBytes(24u).CopyTo(blob, 4);
        BitConverter.GetBytes(0u).CopyTo(blob, 8);
        BitConverter.GetBytes((uint)types.Length).CopyTo(blob, 12);
        BitConverter.GetBytes((uint)types.Length).CopyTo(blob, 16);
        BitConverter.GetBytes((uint)strings.Length).CopyTo(blob, 20);
        types.CopyTo(blob, 24);
        strings.CopyTo(blob, 24 + types.Length);
        return blob;
    }

    [Fact]
    public void A_typedef_that_names_itself_is_an_error_not_a_hang()
    {
        // One TYPEDEF (kind 8) whose target is its own id 1.
        var types = new byte[12];
        BitConverter.GetBytes(1u).CopyTo(types, 0);           // name_off → "t"
        BitConverter.GetBytes(8u << 24).CopyTo(types, 4);     // info: kind TYPEDEF
        BitConverter.GetBytes(1u).CopyTo(types, 8);           // type: 1 (itself)
        var btf = BtfReader.Read(Btf(types));
        var e = Assert.Throws<ObjectFormatException>(() => btf.SizeOf(1));
        Assert.Contains("longer than 32 (a loop?)", e.Message);
    }

    [Fact]
    public void An_array_whose_size_overflows_64_bits_is_a_named_error()
    {
        // id 1: INT "t" of 4 bytes; ids 2-4: arrays of 0xffffffff elements of the id before: 4 × (2^32 - 1)^3 bytes.
        var types = new byte[16 + 3 * 24];
        BitConverter.GetBytes(1u).CopyTo(types, 0);           // name_off → "t"
        BitConverter.GetBytes(1u << 24).CopyTo(types, 4);     // info: kind INT
        BitConverter.GetBytes(4u).CopyTo(types, 8);           // size 4
        BitConverter.GetBytes(32u).CopyTo(types, 12);         // 32 bits, unsigned
        for (var i = 0; i < 3; i++)
        {
            var at = 16 + 24 * i;
            BitConverter.GetBytes(3u << 24).CopyTo(types, at + 4);        // info: kind ARRAY
            BitConverter.GetBytes((uint)(i + 1)).CopyTo(types, at + 12);  // element type: the id before
            BitConverter.GetBytes(1u).CopyTo(types, at + 16);             // index type
            BitConverter.GetBytes(uint.MaxValue).CopyTo(types, at + 20);  // nelems
        }
        var btf = BtfReader.Read(Btf(types));
        var e = Assert.Throws<ObjectFormatException>(() => btf.SizeOf(4));
        Assert.Contains("BTF type 4's size does not fit in 64 bits", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_reachable_register_above_r10_is_a_named_error_also_when_nothing_verifies_the_program(bool verify)
    {
        // alu.o's arith: insn 3 is "r2 = r3" (bf 32); naming r15 as its source leaves an instruction no pass may index
        // registers with. `bpfsharp verify` and `run --no-verify` load with Verify = false, and crashed here.
        var patch = new Elf.ElfPatch("alu.o");
        patch.U8(patch.Section("tc").FileOffset + 3 * 8 + 1, 0xf2);
        var e = Assert.ThrowsAny<BpfException>(() =>
        {
            using var obj = BpfObject.Load(ObjectSpec.Read(patch.Bytes, "alu.o"), new LoadOptions { Verify = verify });
        });
        Assert.Contains("r15", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("huge_bss.o", ".bss", "'huge_bss.bss' (2147483651 bytes)")]              // 0x7fffffff bytes + the 4-byte key
    [InlineData("huge_prog_array.o", ".maps", "'jumps' (17179869184 bytes)")]             // 2^31 slots of key 4 + value 4
    [InlineData("huge_static_slots.o", ".maps", "'jumps' (34359738240 bytes)")]           // 0xfffffff0 slots of 4 + 4
    public void Maps_declaring_more_than_the_memory_budget_are_refused_before_any_is_allocated(string fixture, string section, string largest)
    {
        var e = Assert.Throws<ObjectFormatException>(() =>
        {
            using var obj = BpfObject.Load(Path.Combine(Requirements.FixturesDirectory, "loading", fixture));
        });
        Assert.Equal(section, e.Section);
        Assert.Contains("more than LoadOptions.MaxMemory (1073741824)", e.Message);
        Assert.Contains(largest, e.Message);
    }

    [Fact]
    public void The_memory_budget_is_the_hosts_to_set()
    {
        var path = Path.Combine(Requirements.FixturesDirectory, "loading", "partial.o");
        using (BpfObject.Load(path, new LoadOptions { Programs = ["plain"] })) { }
        // partial.o's one map: 2 program-array slots of key 4 + value 4 bytes.
        var e = Assert.Throws<ObjectFormatException>(() =>
        {
            using var obj = BpfObject.Load(path, new LoadOptions { Programs = ["plain"], MaxMemory = 15 });
        });
        Assert.Contains("the object's maps declare 16 bytes, more than LoadOptions.MaxMemory (15)", e.Message);
    }

    [Fact]
    public void A_static_program_array_gets_the_slots_its_initialiser_holds_whatever_max_entries_declares()
    {
        // huge_static_slots.c initialises slot 1 of 0xfffffff0; the slots come from the relocations inside the variable,
        // as libbpf collects them, not from a walk over every declared slot (38 s before).
        var spec = ObjectSpec.Read(Path.Combine(Requirements.FixturesDirectory, "loading", "huge_static_slots.o"));
        var jumps = spec.Maps.Single(m => m.Name == "jumps");
        Assert.Equal(0xfffffff0u, jumps.Spec.MaxEntries);
        Assert.Equal(new Dictionary<uint, string> { [1] = "target" }, jumps.InitialSlots);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_function_symbol_ending_inside_an_lddw_is_a_named_error(bool verify)
    {
        // globals.o's bump starts with "r1 = 0 ll" (insns 0-1); a symbol size of 8 bytes cuts it in half, and the map
        // relocation then patched a slot past the program (IndexOutOfRangeException).
        var patch = new Elf.ElfPatch("tailcalls/globals.o");
        patch.U64(patch.Symbol("bump") + 16, 8);
        var e = Assert.Throws<ObjectFormatException>(() =>
        {
            using var obj = BpfObject.Load(ObjectSpec.Read(patch.Bytes, "globals"), new LoadOptions { Verify = verify });
        });
        Assert.Contains("function 'bump' ends inside the lddw at insn 0", e.Message);
    }

    [Fact]
    public void An_lddw_of_a_data_symbol_placed_in_a_code_section_is_a_named_error()
    {
        // step is globals.o's .data variable; moved into the program's section it names neither data nor a function,
        // which libbpf refuses too (only a function or a section symbol has an address in code).
        var patch = new Elf.ElfPatch("tailcalls/globals.o");
        patch.U16(patch.Symbol("step") + 6, (ushort)patch.Section("tc").Index);
        var e = Assert.Throws<ObjectFormatException>(() =>
        {
            using var obj = BpfObject.Load(ObjectSpec.Read(patch.Bytes, "globals"));
        });
        Assert.Contains("lddw refers to 'step' (Object symbol) in code section tc, which is neither a function nor data", e.Message);
    }

    [Fact]
    public void An_lddw_of_a_section_symbol_moved_to_an_empty_code_section_is_a_named_error()
    {
        // printf.o's symbol 38 is the section symbol its programs' format strings are relocated against; its section
        // index set to 2, the empty .text, made the linker look for code there (KeyNotFoundException, found by the
        // object mutation fuzz at BPFSHARP_OBJECT_FUZZ_ROUNDS=12500).
        var patch = new Elf.ElfPatch("helpers/printf.o");
        Assert.Equal(0, (long)patch.Section(".text").Size);
        patch.U16(patch.Original.SymbolTable!.FileOffset + 24 * 38 + 6, (ushort)patch.Section(".text").Index);
        var e = Assert.Throws<ObjectFormatException>(() =>
        {
            using var obj = BpfObject.Load(ObjectSpec.Read(patch.Bytes, "printf"));
        });
        Assert.Contains("in code section .text, which holds no code", e.Message);
    }
}
