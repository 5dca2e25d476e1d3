using BenchmarkDotNet.Attributes;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using static BpfSharp.Isa.Register;

namespace BpfSharp.Benchmarks;

/// <summary>Load + compile time of large programs: validating and pinning the code (all the interpreter needs), plus
/// compiling to IL and machine code for the JIT (both shapes). The programs are synthetic, shaped like clang's
/// output: stack loads and stores, arithmetic, short forward branches; either one function, or functions of 1000
/// instructions that main calls in turn.</summary>
public class CompileBenchmarks
{
    Instruction[] code = null!;
    readonly HelperTable helpers = StandardHelpers.Create();

    [Params(1_000, 10_000, 100_000)]
    public int Instructions { get; set; }

    [Params(false, true)]
    public bool Split { get; set; }

    [GlobalSetup]
    public void Setup() => code = Synthetic(Instructions, Split ? 1000 : Instructions);

    [Benchmark(Baseline = true)]
    public object Load() => new ExecutableProgram("big", code);

    [Benchmark]
    public object LoadAndJitUnchecked()
    {
        // Synthetic straight-line arithmetic, safe by construction: trusted as a verified program would be.
        var program = new ExecutableProgram("big", code) { Verified = true };
        Jit.Compile(program, helpers, boundsChecked: false);
        return program;
    }

    [Benchmark]
    public object LoadAndJitChecked()
    {
        var program = new ExecutableProgram("big", code);
        Jit.Compile(program, helpers, boundsChecked: true);
        return program;
    }

    /// <summary>About <paramref name="total"/> slots in functions of <paramref name="perFunction"/>.</summary>
    public static Instruction[] Synthetic(int total, int perFunction)
    {
        var functions = Math.Max(1, total / perFunction);
        var main = new List<Instruction>();
        var bodies = new List<Instruction[]>();
        for (var f = 0; f < functions; f++) bodies.Add(Body(functions == 1 ? total - 2 : perFunction, f));
        if (functions == 1) return [.. bodies[0], Asm.Exit()];
        // main: call each function (pc-relative), then exit; the functions follow.
        var start = 2 * functions + 1;
        for (var f = 0; f < functions; f++)
        {
            main.Add(Asm.Mov64(R1, R10));
            main.Add(Asm.CallLocal(start - main.Count - 1));
            start += bodies[f].Length + 1;
        }
        main.Add(Asm.Exit());
        foreach (var body in bodies) main.AddRange([.. body, Asm.Exit()]);
        return [.. main];
    }

    static Instruction[] Body(int length, int seed)
    {
        var code = new List<Instruction> { Asm.Mov64(R0, 0) };
        var random = new Random(seed);
        while (code.Count + 8 <= length)
        {
            var slot = (short)(-8 * random.Next(1, 64));
            code.Add(Asm.Load(Opcode.LdxDw, R1, R10, slot));
            code.Add(Asm.Add64(R1, random.Next(1000)));
            code.Add(Asm.Jump(Opcode.JgtImm, R1, random.Next(1 << 20), 2));
            code.Add(Asm.Mov64(R2, R1));
            code.Add(Asm.Alu(Opcode.Lsh64Imm, R2, 3));
            code.Add(Asm.Store(Opcode.StxDw, R10, slot, R2));
            code.Add(Asm.Alu(Opcode.Xor64Reg, R0, R2));
        }
        while (code.Count < length) code.Add(Asm.Mov64(R3, code.Count));
        return [.. code];
    }
}
