using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>The assembler can spell every opcode, so that anything the decoder accepts can be written back as text.</summary>
public class AssemblerCoverageTests
{
    const string EveryKind = """
        add32 %r1, 1
        add32 %r1, %r2
        sub32 %r1, 1
        sub32 %r1, %r2
        mul32 %r1, 1
        mul32 %r1, %r2
        div32 %r1, 1
        div32 %r1, %r2
        or32 %r1, 1
        or32 %r1, %r2
        and32 %r1, 1
        and32 %r1, %r2
        lsh32 %r1, 1
        lsh32 %r1, %r2
        rsh32 %r1, 1
        rsh32 %r1, %r2
        neg32 %r1
        mod32 %r1, 1
        mod32 %r1, %r2
        xor32 %r1, 1
        xor32 %r1, %r2
        mov32 %r1, 1
        mov32 %r1, %r2
        arsh32 %r1, 1
        arsh32 %r1, %r2
        add %r1, 1
        add %r1, %r2
        sub %r1, 1
        sub %r1, %r2
        mul %r1, 1
        mul %r1, %r2
        div %r1, 1
        div %r1, %r2
        or %r1, 1
        or %r1, %r2
        and %r1, 1
        and %r1, %r2
        lsh %r1, 1
        lsh %r1, %r2
        rsh %r1, 1
        rsh %r1, %r2
        neg %r1
        mod %r1, 1
        mod %r1, %r2
        xor %r1, 1
        xor %r1, %r2
        mov %r1, 1
        mov %r1, %r2
        arsh %r1, 1
        arsh %r1, %r2
        le16 %r1
        be16 %r1
        bswap16 %r1
        ja +0
        ja32 +0
        jeq %r1, 1, +0
        jeq %r1, %r2, +0
        jgt %r1, 1, +0
        jgt %r1, %r2, +0
        jge %r1, 1, +0
        jge %r1, %r2, +0
        jset %r1, 1, +0
        jset %r1, %r2, +0
        jne %r1, 1, +0
        jne %r1, %r2, +0
        jsgt %r1, 1, +0
        jsgt %r1, %r2, +0
        jsge %r1, 1, +0
        jsge %r1, %r2, +0
        jlt %r1, 1, +0
        jlt %r1, %r2, +0
        jle %r1, 1, +0
        jle %r1, %r2, +0
        jslt %r1, 1, +0
        jslt %r1, %r2, +0
        jsle %r1, 1, +0
        jsle %r1, %r2, +0
        jeq32 %r1, 1, +0
        jeq32 %r1, %r2, +0
        jgt32 %r1, 1, +0
        jgt32 %r1, %r2, +0
        jge32 %r1, 1, +0
        jge32 %r1, %r2, +0
        jset32 %r1, 1, +0
        jset32 %r1, %r2, +0
        jne32 %r1, 1, +0
        jne32 %r1, %r2, +0
        jsgt32 %r1, 1, +0
        jsgt32 %r1, %r2, +0
        jsge32 %r1, 1, +0
        jsge32 %r1, %r2, +0
        jlt32 %r1, 1, +0
        jlt32 %r1, %r2, +0
        jle32 %r1, 1, +0
        jle32 %r1, %r2, +0
        jslt32 %r1, 1, +0
        jslt32 %r1, %r2, +0
        jsle32 %r1, 1, +0
        jsle32 %r1, %r2, +0
        call 1
        call %r1
        lddw %r1, 1
        ldabsw 1
        ldabsh 1
        ldabsb 1
        ldindw %r1, 1
        ldindh %r1, 1
        ldindb %r1, 1
        ldxw %r1, [%r2]
        ldxh %r1, [%r2]
        ldxb %r1, [%r2]
        ldxdw %r1, [%r2]
        ldxsw %r1, [%r2]
        ldxsh %r1, [%r2]
        ldxsb %r1, [%r2]
        stw [%r1], 1
        sth [%r1], 1
        stb [%r1], 1
        stdw [%r1], 1
        stxw [%r1], %r2
        stxh [%r1], %r2
        stxb [%r1], %r2
        stxdw [%r1], %r2
        lock add32 [%r1], %r2
        lock add [%r1], %r2
        lock load_acq16 %r1, [%r2]
        lock store_rel8 [%r1], %r2
        may_goto +0
        exit
        """;

    [Fact]
    public void Every_opcode_has_an_assembly_form()
    {
        var code = Assembler.Assemble(EveryKind);
        var produced = code.Where((_, i) => i == 0 || code[i - 1].Opcode != Opcode.Lddw).Select(i => i.Opcode).ToHashSet();
        var missing = Enum.GetValues<Opcode>().Where(o => o != Opcode.Invalid && !produced.Contains(o)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_assembly_form_decodes_as_a_valid_instruction() =>
        InstructionDecoder.Validate(Assembler.Assemble(EveryKind));
}
