using BenchmarkDotNet.Attributes;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Programs;
using BpfSharp.Verification;
using BpfSharp.Verification.State;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Benchmarks;

/// <summary>How long the verifier takes as programs grow: straight-line code with a data-dependent branch per block
/// (the shape of unrolled loops), and counted loops explored iteration by iteration. The kernel's limit is a million
/// simulated instructions; these stay under it.</summary>
[MemoryDiagnoser]
public class VerifierBenchmarks
{
    static readonly HelperTable helpers = StandardHelpers.Create();
    static readonly Dictionary<int, (MapShape, bool, uint)> noMaps = new();

    Instruction[] unrolled = [];
    Instruction[] loop = [];

    /// <summary>Instructions of the unrolled program.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Instructions { get; set; }

    /// <summary>Iterations of the counted loop.</summary>
    [Params(100, 1_000, 10_000)]
    public int Iterations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        unrolled = Unrolled(Instructions);
        loop = Loop(Iterations);
    }

    /// <summary>Blocks of 16: a stack spill and fill, arithmetic, and a branch around one instruction. (A branch per
    /// block leaves one pending path per block until the end; the kernel allows 8192 of those, so blocks stay long.)</summary>
    static Instruction[] Unrolled(int size)
    {
        var code = new List<Instruction> { Asm.Mov64(R0, 0), Asm.Mov64(R3, 0), Asm.Load(Opcode.LdxW, R6, R1, 0) };
        while (code.Count < size - 8)
        {
            code.Add(Asm.Store(Opcode.StxDw, R10, -8, R0));
            code.Add(Asm.Load(Opcode.LdxDw, R2, R10, -8));
            code.Add(Asm.Alu(Opcode.Add64Reg, R2, R6));
            code.Add(Asm.Jump(Opcode.JgtImm, R2, 1000, 1));
            code.Add(Asm.Add64(R0, 1));
            code.Add(Asm.Alu(Opcode.And64Imm, R0, 0xff));
            for (var i = 0; i < 5; i++)
            {
                code.Add(Asm.Alu(Opcode.Xor64Reg, R3, R2));
                code.Add(Asm.Alu(Opcode.Lsh64Imm, R3, 1));
            }
        }
        code.Add(Asm.Exit());
        return code.ToArray();
    }

    /// <summary>for (i = 0; i &lt; n; i++) stack[i &amp; 7] += i;</summary>
    static Instruction[] Loop(int n) =>
    [
        Asm.Mov64(R1, 0), Asm.Store(Opcode.StDw, R10, -8, 0), Asm.Store(Opcode.StDw, R10, -16, 0), Asm.Store(Opcode.StDw, R10, -24, 0),
        Asm.Store(Opcode.StDw, R10, -32, 0), Asm.Store(Opcode.StDw, R10, -40, 0), Asm.Store(Opcode.StDw, R10, -48, 0),
        Asm.Store(Opcode.StDw, R10, -56, 0), Asm.Store(Opcode.StDw, R10, -64, 0),
        // loop: r2 = r1 & 7; r2 *= 8; r3 = r10 - 64 + r2; *(u64 *)r3 += r1; r1++; if r1 < n goto loop
        Asm.Mov64(R2, R1), Asm.Alu(Opcode.And64Imm, R2, 7), Asm.Alu(Opcode.Lsh64Imm, R2, 3),
        Asm.Mov64(R3, R10), Asm.Add64(R3, -64), Asm.Alu(Opcode.Add64Reg, R3, R2),
        Asm.Load(Opcode.LdxDw, R4, R3, 0), Asm.Alu(Opcode.Add64Reg, R4, R1), Asm.Store(Opcode.StxDw, R3, 0, R4),
        Asm.Add64(R1, 1), Asm.Jump(Opcode.JltImm, R1, n, -11),
        Asm.Mov64(R0, 0), Asm.Exit(),
    ];

    [Benchmark]
    public int VerifyUnrolled() => Verifier.Verify("unrolled", unrolled, ProgramType.SchedCls, [0], noMaps, [], helpers).ProcessedInstructions;

    [Benchmark]
    public int VerifyLoop() => Verifier.Verify("loop", loop, ProgramType.SchedCls, [0], noMaps, [], helpers).ProcessedInstructions;
}
