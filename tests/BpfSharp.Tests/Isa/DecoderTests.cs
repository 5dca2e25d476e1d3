using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>Malformed programs get an error naming the instruction and the reason, never a crash.</summary>
public class DecoderTests
{
    static ObjectFormatException Reject(params string[] slots) =>
        Assert.Throws<ObjectFormatException>(() => InstructionDecoder.Decode(Convert.FromHexString(string.Concat(slots))));

    [Fact]
    public void An_unknown_opcode_is_named_with_its_index() =>
        Assert.Equal("insn 1: unknown opcode 0x8e", Reject("b700000000000000", "8e00000000000000").Message);

    [Fact]
    public void A_truncated_lddw_is_rejected() =>
        Assert.Contains("insn 0: lddw is the last slot", Reject("1800000001000000").Message);

    [Fact]
    public void A_bad_lddw_second_slot_is_rejected() =>
        Assert.Contains("the second slot of lddw must have opcode, registers and offset zero", Reject("1800000001000000", "9500000000000000").Message);

    [Fact]
    public void A_register_beyond_r10_is_rejected() =>
        Assert.Equal("insn 0: Mov64Reg (0xbf): src register r11 does not exist (r0-r10)", Reject("bfb0000000000000", "9500000000000000").Message);

    [Fact]
    public void Writing_r10_is_rejected() =>
        Assert.Equal("insn 0: Mov64Imm (0xb7): writes r10, the read-only frame pointer", Reject("b70a000000000000", "9500000000000000").Message);

    [Fact]
    public void An_atomic_fetch_into_r10_is_rejected_like_the_kernels_frame_pointer_is_read_only()
    {
        // lock *(u64 *)(r1 + 0) = xchg(r10): the old value would land in r10, moving the stack.
        Assert.Equal("insn 0: AtomicDw (0xdb): fetches into r10, the read-only frame pointer", Reject("dba1000001000000", "9500000000000000").Message);
        // Without fetch r10 is only read, and cmpxchg loads into r0: both stay legal.
        InstructionDecoder.Decode(Convert.FromHexString("dba1000000000000" + "dba10000f1000000" + "9500000000000000"));
    }

    [Fact]
    public void A_non_zero_unused_field_is_rejected() =>
        Assert.Equal("insn 0: Exit (0x95): unused field imm must be 0, is 1", Reject("9500000001000000").Message);

    [Fact]
    public void A_partial_slot_is_rejected() =>
        Assert.Contains("not a whole number of 8-byte instructions", Reject("9500000000").Message);

    [Fact]
    public void Invalid_swap_widths_and_atomic_operations_are_rejected()
    {
        Assert.Contains("byte-swap width must be 16, 32 or 64, is 8", Reject("d400000008000000").Message);
        Assert.Contains("is not an atomic operation", Reject("db12000002000000").Message);
    }

    [Fact]
    public void Only_load_acquire_and_store_release_come_in_8_and_16_bits()
    {
        InstructionDecoder.Decode(Convert.FromHexString("d3a2ffff00010000" + "cb1afeff10010000" + "9500000000000000"));
        Assert.Contains("is not a load-acquire (0x100) or store-release (0x110)", Reject("d31affff00000000", "9500000000000000").Message);
        Assert.Equal("insn 0: AtomicDw (0xdb): load-acquire into r10, the read-only frame pointer",
            Reject("db1af8ff00010000", "9500000000000000").Message);
    }

    [Fact]
    public void May_goto_has_no_registers_and_no_immediate() =>
        Assert.Equal("insn 0: MayGoto (0xe5): unused field imm must be 0, is 1", Reject("e500000001000000", "9500000000000000").Message);

    [Fact]
    public void Sdiv_offsets_other_than_0_and_1_are_rejected() =>
        Assert.Contains("offset must be 0 (unsigned) or 1 (signed), is 2", Reject("3700020003000000").Message);

    public static TheoryData<ExecutionEngine> Engines => Support.EngineTheories.Engines;

    [Theory, MemberData(nameof(Engines))]
    public void Random_bytes_either_decode_or_fail_with_a_named_error_and_never_crash_the_host(ExecutionEngine engine)
    {
        var random = new Random(9669);
        var helpers = StandardHelpers.Create();
        using var invocation = new Invocation(helpers) { InstructionBudget = 1000 };
        var decoded = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var bytes = new byte[8 * random.Next(1, 12)];
            random.NextBytes(bytes);
            // Bias toward real opcodes so that many programs decode and run.
            for (var i = 0; i < bytes.Length; i += 8)
                bytes[i] = KnownOpcodes[random.Next(KnownOpcodes.Length)];
            for (var i = 1; i < bytes.Length; i += 8)
                bytes[i] &= 0x99;
            Instruction[] code;
            try { code = InstructionDecoder.Decode(bytes); }
            catch (ObjectFormatException) { continue; }
            decoded++;
            var memory = new byte[16];
            try { RawExecution.Run(new ExecutableProgram("fuzz", code), memory, invocation, engine); }
            catch (BpfRuntimeException) { }
        }
        Assert.True(decoded > 100, $"only {decoded} random programs decoded");
    }

    static readonly byte[] KnownOpcodes = Enum.GetValues<Opcode>().Where(o => o != Opcode.Invalid).Select(o => (byte)o).ToArray();
}
