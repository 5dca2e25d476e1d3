using System.Text;
using BpfSharp.Elf;
using BpfSharp.Isa;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Isa;

public class DisassemblerTests
{
    static readonly Instruction Exit = new(Opcode.Exit, Register.R0, Register.R0, 0, 0);

    static Instruction Mov(Register dst, int imm) => new(Opcode.Mov64Imm, dst, Register.R0, 0, imm);

    [Fact]
    public void Lines_have_slot_index_bytes_and_text_separated_by_tabs() =>
        Assert.Equal(
            "       0:\tb7 00 00 00 fe ca 00 00\tr0 = 0xcafe\n" +
            "       1:\t95 00 00 00 00 00 00 00\texit\n",
            Disassembler.Disassemble([Mov(Register.R0, 0xcafe), Exit]));

    [Fact]
    public void A_lddw_prints_its_16_bytes_on_one_line_and_the_next_index_is_2() =>
        Assert.Equal(
            "       0:\t18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11\tr1 = 0x1122334455667788 ll\n" +
            "       2:\t95 00 00 00 00 00 00 00\texit\n",
            Disassembler.Disassemble([new Instruction(Opcode.Lddw, Register.R1, Register.R0, 0, 0x55667788),
                new Instruction(0, 0, 0, 0x11223344), Exit]));

    [Fact]
    public void A_lddw_with_the_top_bit_set_prints_as_a_negative_number() =>
        Assert.Contains("\tr1 = -0x8000000000000000 ll\n", Disassembler.Disassemble(
            [new Instruction(Opcode.Lddw, Register.R1, Register.R0, 0, 0), new Instruction(0, 0, 0, int.MinValue)]));

    [Fact]
    public void Labels_head_their_code_and_name_jump_targets()
    {
        var code = new[]
        {
            new Instruction(Opcode.JeqImm, Register.R1, Register.R0, 1, 0), // 0: if r1 == 0 goto +1 -> slot 2
            Mov(Register.R0, 1),                                           // 1
            Exit,                                                          // 2: second
            new Instruction(Opcode.Ja, Register.R0, Register.R0, -4, 0),   // 3: goto -4 -> slot 0
        };
        Assert.Equal(
            "\n0000000000000000 <first>:\n" +
            "       0:\t15 01 01 00 00 00 00 00\tif r1 == 0x0 goto +0x1 <second>\n" +
            "       1:\tb7 00 00 00 01 00 00 00\tr0 = 0x1\n" +
            "\n0000000000000010 <second>:\n" +
            "       2:\t95 00 00 00 00 00 00 00\texit\n" +
            "       3:\t05 00 fc ff 00 00 00 00\tgoto -0x4 <first>\n",
            Disassembler.Disassemble(code, new Dictionary<long, string> { [0] = "first", [16] = "second" }));
    }

    [Fact]
    public void A_target_between_labels_is_shown_as_an_offset_from_the_one_before()
    {
        var code = new[] { new Instruction(Opcode.Ja, Register.R0, Register.R0, 1, 0), Exit, Exit };
        Assert.Contains("goto +0x1 <f+0x10>", Disassembler.Disassemble(code, new Dictionary<long, string> { [0] = "f" }));
    }

    [Fact]
    public void Without_labels_jumps_have_no_target_annotation() =>
        Assert.EndsWith("\tgoto +0x1\n", Disassembler.Disassemble([new Instruction(Opcode.Ja, Register.R0, Register.R0, 1, 0)]));

    [Fact]
    public void Bytes_that_are_not_instructions_are_unknown_as_llvm_objdump_19_prints_them()
    {
        var text = Disassembler.Disassemble(new byte[] { 0xff, 0, 0, 0, 0, 0, 0, 0, 0x18, 1, 0, 0, 5, 0, 0, 0, 0x95 });
        Assert.Equal(
            "       0:\tff 00 00 00 00 00 00 00\t<unknown>\n" +
            // a lddw without its full second slot: llvm-objdump gives up on one byte and decodes on from the next
            "       1:\t18\t<unknown>\n" +
            "       1:\t01 00 00 05 00 00 00 95\t<unknown>\n",
            text);
    }

    [Fact]
    public void Runs_of_zero_bytes_are_skipped_as_dots()
    {
        var text = Disassembler.Disassemble([Mov(Register.R0, 0), default, default, Exit]);
        Assert.Equal("       0:\tb7 00 00 00 00 00 00 00\tr0 = 0x0\n\t\t...\n       3:\t95 00 00 00 00 00 00 00\texit\n", text);
    }

    [Fact]
    public void Output_pieces_carry_their_kind_and_join_to_the_text()
    {
        var code = new[] { new Instruction(Opcode.JgtReg, Register.R1, Register.R2, 0, 0), new Instruction(0xff, 0, 0, 0) };
        var labels = new Dictionary<long, string> { [0] = "f" };
        var output = new Recorder();
        Disassembler.Disassemble(code, output, labels);
        Assert.Equal(Disassembler.Disassemble(code, labels), output.Text.ToString());
        Assert.Contains(("0000000000000000", TextKind.Address), output.Pieces);
        Assert.Contains(("0", TextKind.Address), output.Pieces);
        Assert.Contains(("2d 21 00 00 00 00 00 00", TextKind.Bytes), output.Pieces);
        Assert.Contains(("if", TextKind.Mnemonic), output.Pieces);
        Assert.Contains(("r1", TextKind.Register), output.Pieces);
        Assert.Contains((">", TextKind.Operator), output.Pieces);
        Assert.Contains(("+0x0", TextKind.Number), output.Pieces);
        Assert.Contains(("f", TextKind.Label), output.Pieces);
        Assert.Contains(("<unknown>", TextKind.Invalid), output.Pieces);
    }

    [Fact]
    public void Casts_and_widths_are_types()
    {
        var output = new Recorder();
        Disassembler.Disassemble([new Instruction(Opcode.LdxsB, Register.R1, Register.R2, 0, 0)], output);
        Assert.Contains(("s8", TextKind.Type), output.Pieces);
    }

    [FactRequires(Requirement.Shared)]
    public void Drinks_code_with_its_function_labels_equals_llvm_objdump_19()
    {
        // llvm-objdump-19 -d ../shared/examples/drinks.o, as in STYLE.md §1.3.
        const string expected = """

            drinks.o:	file format elf64-bpf

            Disassembly of section .text:

            0000000000000000 <bring_order>:
                   0:	18 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00	r2 = 0x0 ll
                   2:	b7 03 00 00 00 00 00 00	r3 = 0x0
                   3:	85 00 00 00 0c 00 00 00	call 0xc
                   4:	b7 00 00 00 0d f0 00 00	r0 = 0xf00d
                   5:	95 00 00 00 00 00 00 00	exit

            Disassembly of section tc:

            0000000000000000 <serve_drink>:
                   0:	b7 00 00 00 fe ca 00 00	r0 = 0xcafe
                   1:	95 00 00 00 00 00 00 00	exit

            0000000000000010 <server1>:
                   2:	85 10 00 00 ff ff ff ff	call -0x1
                   3:	b7 00 00 00 0d f0 00 00	r0 = 0xf00d
                   4:	95 00 00 00 00 00 00 00	exit

            0000000000000028 <server2>:
                   5:	85 10 00 00 ff ff ff ff	call -0x1
                   6:	95 00 00 00 00 00 00 00	exit

            """;
        Assert.Equal(expected, DrinksListing());
    }

    [FactRequires(Requirement.Shared, Requirement.LlvmObjdump19)]
    public void Drinks_code_with_its_function_labels_equals_llvm_objdump_19_run_now()
    {
        var (_, expected, _) = Requirements.Run("llvm-objdump-19", ["-d", "drinks.o"],
            workingDirectory: Path.Combine(Requirements.SharedDirectory, "examples"));
        Assert.Equal(expected, DrinksListing());
    }

    /// <summary>The listing built from the ISA-level disassembler alone: each executable section's bytes with its
    /// function symbols as labels.</summary>
    static string DrinksListing()
    {
        var obj = ObjectFile.Read(Path.Combine(Requirements.SharedDirectory, "examples", "drinks.o"));
        var text = new StringBuilder("\ndrinks.o:\tfile format elf64-bpf\n");
        foreach (var section in obj.Sections.Where(s => s.IsExecutable && s.Size > 0))
        {
            var labels = obj.SymbolsIn(section).Where(s => s.Type == ElfSymbolType.Func).ToDictionary(s => (long)s.Value, s => s.Name);
            text.Append($"\nDisassembly of section {section.Name}:\n").Append(Disassembler.Disassemble(section.Data.Span, labels));
        }
        return text.ToString();
    }

    sealed class Recorder : DisassemblyOutput
    {
        public StringBuilder Text { get; } = new();
        public List<(string, TextKind)> Pieces { get; } = [];

        public override void Write(ReadOnlySpan<char> text, TextKind kind)
        {
            Text.Append(text);
            Pieces.Add((text.ToString(), kind));
        }
    }
}
