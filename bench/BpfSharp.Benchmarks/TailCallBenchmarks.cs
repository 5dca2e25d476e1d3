using BenchmarkDotNet.Attributes;
using BpfSharp.Execution;
using BpfSharp.Execution.JitInternal;
using BpfSharp.Loading;

namespace BpfSharp.Benchmarks;

/// <summary>tailchain.bpf.o (../shared/bench): bare0 with slots 1..K of <c>bare</c> filled; a tail call costs
/// (K=32 − K=0) / 32. The kernel's JIT on this machine: about 10 ns (12 with a runtime key). For the JIT, the two
/// shapes of a tail call: <c>tail. calli</c> (the frame is replaced) and a plain <c>calli</c> + <c>ret</c>.</summary>
public class TailCallBenchmarks
{
    BpfObject obj = null!;
    Prepared chain = null!;

    [Params(ExecutionEngine.Interpreter, ExecutionEngine.Jit)]
    public ExecutionEngine Engine { get; set; }

    [Params(0, 32)]
    public int K { get; set; }

    [Params(true, false)]
    public bool TailPrefix { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        JitCompiler.UseTailPrefix = TailPrefix;
        obj = BpfObject.Load(Prepared.Fixture("tailchain.bpf.o"));
        for (var i = 1; i <= K; i++) obj.Maps["bare"].AsProgramArray()[i] = obj.Programs[$"bare{i}"];
        chain = new Prepared(obj, "bare0", Engine, boundsChecked: false);
        if (chain.Run() != (ulong)K) throw new InvalidOperationException($"bare0 returned {chain.Run()}, not {K}");
    }

    [Benchmark] public ulong Chain() => chain.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        chain.Dispose();
        obj.Dispose();
        JitCompiler.UseTailPrefix = true;
    }
}
