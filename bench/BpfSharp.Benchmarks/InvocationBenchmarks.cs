using BenchmarkDotNet.Attributes;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Benchmarks;

/// <summary>What a run costs around the program: the empty program through <see cref="Engine.Run"/> (the kernel's
/// test-run overhead per repeat on this machine: 33-44 ns, about 38), and a whole <see cref="BpfProgram.Run"/>
/// (context built, slot rented, results copied out), which the kernel's figure does not include.</summary>
public class InvocationBenchmarks
{
    BpfObject obj = null!;
    Prepared empty = null!;
    RunOptions options = null!;

    [Params(ExecutionEngine.Interpreter, ExecutionEngine.Jit)]
    public ExecutionEngine Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        obj = BpfObject.Load(Prepared.Fixture("compute.bpf.o"));
        empty = new Prepared(obj, "empty", Engine, boundsChecked: false);
        options = new RunOptions { Data = new byte[64], Engine = Engine };
    }

    [Benchmark] public ulong EmptyRun() => empty.Run();

    [Benchmark] public uint EmptyTestRun() => empty.Program.Run(options).ReturnValue;

    [GlobalCleanup]
    public void Cleanup()
    {
        empty.Dispose();
        obj.Dispose();
    }
}
