using BenchmarkDotNet.Attributes;
using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Benchmarks;

/// <summary>compute.bpf.o (../shared/bench): xorshift64 for 10000 iterations, fib(90), and the empty program. The
/// kernel's JIT on this machine: xorshift 1.9 ns an iteration (the same as gcc -O2), fib90 and empty from
/// run.sh. ns/iteration = (xorshift − empty) / 10000.</summary>
public class ComputeBenchmarks
{
    BpfObject obj = null!;
    Prepared xorshift = null!, fib90 = null!, empty = null!;

    [Params(ExecutionEngine.Interpreter, ExecutionEngine.Jit)]
    public ExecutionEngine Engine { get; set; }

    /// <summary>Unchecked is what verified programs get (and what the kernel runs); checked is the unverified mode.</summary>
    [Params(false, true)]
    public bool BoundsChecked { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        obj = BpfObject.Load(Prepared.Fixture("compute.bpf.o"));
        (xorshift, fib90, empty) = (new(obj, "xorshift", Engine, BoundsChecked), new(obj, "fib90", Engine, BoundsChecked),
            new(obj, "empty", Engine, BoundsChecked));
    }

    [Benchmark] public ulong Xorshift10000() => xorshift.Run();

    [Benchmark] public ulong Fib90() => fib90.Run();

    [Benchmark] public ulong Empty() => empty.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        xorshift.Dispose();
        fib90.Dispose();
        empty.Dispose();
        obj.Dispose();
    }
}
