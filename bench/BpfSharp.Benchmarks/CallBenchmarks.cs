using BenchmarkDotNet.Attributes;
using BpfSharp.Execution;
using BpfSharp.Loading;

namespace BpfSharp.Benchmarks;

/// <summary>bpf2bpf.bpf.o (../shared/bench): a BPF-to-BPF call costs (nest7 − nest0) / 7 and
/// (loop1000 − loop1000_inline) / 1000; the kernel's JIT on this machine: about 9 ns a call.</summary>
public class CallBenchmarks
{
    BpfObject obj = null!;
    Prepared nest0 = null!, nest7 = null!, loop = null!, loopInline = null!;

    [Params(ExecutionEngine.Interpreter, ExecutionEngine.Jit)]
    public ExecutionEngine Engine { get; set; }

    [Params(false, true)]
    public bool BoundsChecked { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        obj = BpfObject.Load(Prepared.Fixture("bpf2bpf.bpf.o"));
        nest0 = new(obj, "nest0", Engine, BoundsChecked);
        nest7 = new(obj, "nest7", Engine, BoundsChecked);
        loop = new(obj, "loop1000", Engine, BoundsChecked);
        loopInline = new(obj, "loop1000_inline", Engine, BoundsChecked);
    }

    [Benchmark] public ulong Nest0() => nest0.Run();

    [Benchmark] public ulong Nest7() => nest7.Run();

    [Benchmark] public ulong Loop1000() => loop.Run();

    [Benchmark] public ulong Loop1000Inline() => loopInline.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var p in new[] { nest0, nest7, loop, loopInline }) p.Dispose();
        obj.Dispose();
    }
}
