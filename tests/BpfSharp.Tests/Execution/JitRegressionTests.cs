using BpfSharp.Execution;
using BpfSharp.Execution.Fuzzing;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Execution;

/// <summary>Programs the differential fuzzer found the engines disagreeing on, minimised; each now agrees.</summary>
public class JitRegressionTests
{
    /// <summary>Runs a reproducer (hex, one slot a line) on both engines as the fuzzer does and compares everything.</summary>
    static void Agree(string hex, string data, long budget = 20_000)
    {
        var code = InstructionDecoder.Decode(Convert.FromHexString(string.Concat(hex.Split('\n', StringSplitOptions.TrimEntries))));
        using var runner = new DifferentialRunner();
        var difference = runner.Compare(new FuzzCase([code], Convert.FromHexString(data), budget));
        Assert.Null(difference);
    }

    [Fact]
    public void A_32_bit_signed_division_keeps_the_upper_half_of_its_divisor_register()
    {
        // r6 = r1 (data); call the function at 2, which inherits r6, divides w0 by w6, then passes r6 + 0x20 to a
        // helper. Inlined AluSemantics.SDiv32 made RyuJIT (.NET 10.0.12, x64) restore r6 from a 32-bit copy.
        Agree("""
            bf16000000000000
            8510000000000000
            72060d0039000000
            3c60010000000000
            bf61000000000000
            0701000020000000
            b70200000f000000
            85000000e9030000
            """,
            "bf53189539d5daa4c282a61943539c111ccbe9f4441ce9ce2c544bf368917a17a2f85e86fee33272cae4d90e5a7c2fdea7d8287f05156aa26a4a68e58ae73b30");
    }

    [Fact]
    public void A_32_bit_cmpxchg_zero_extends_the_old_value_into_r0()
    {
        // r6 = r1 (data); the function at 5 returns r6 ^ 0xb720ca6, a 64-bit value stored at data + 0x10; then
        // w0 = cmpxchg(data + 0x10, w0, w4) finds it equal. RFC 9669 and the kernel zero-extend the old 32-bit value
        // into r0; RyuJIT (.NET 10, x64) kept r0's upper half, since lock cmpxchg leaves rax alone when equal.
        Agree("""
            bf16000000000000
            8510000003000000
            7b06100000000000
            c3461000f1000000
            9500000000000000
            0500000000000000
            18080000afc95a14
            00000000bafb753a
            a7060000a60c720b
            bf60000000000000
            9500000000000000
            """,
            "088d8710f11306c7aa8267f935814d77772f52ba270eee8d47bba8c31d84d71be058ca57b5256d35a60159bbff6a077f5027ea09b35d71f99ff9c9366b42aa25");
    }
}
