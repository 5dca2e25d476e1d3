using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Execution;
using BpfSharp.Execution.JitInternal;
using BpfSharp.Loading;

namespace BpfSharp.Benchmarks;

/// <summary><c>dotnet run -c Release -- quick [--checked]</c>: the figures the kernel comparison needs (../shared/bench
/// run.sh's derived ones), per engine, timed in this thread's CPU time (best of many rounds), which a loaded machine
/// disturbs far less than wall-clock time; the rounds' total wall and CPU time show how much it did. BenchmarkDotNet's
/// classes measure the same runs more thoroughly.</summary>
public static class QuickFigures
{
    public static void Run(bool boundsChecked)
    {
        Console.WriteLine($"{(boundsChecked ? "bounds-checked" : "unchecked")}; ns of thread CPU time, best of rounds");
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var compute = BpfObject.Load(Prepared.Fixture("compute.bpf.o"));
            using var calls = BpfObject.Load(Prepared.Fixture("bpf2bpf.bpf.o"));
            double Time(BpfObject obj, string program, int runs)
            {
                using var p = new Prepared(obj, program, engine, boundsChecked);
                return Best(p, runs);
            }
            var empty = Time(compute, "empty", 20_000);
            var xorshift = Time(compute, "xorshift", engine == ExecutionEngine.Jit ? 20 : 2);
            var fib = Time(compute, "fib90", 2000);
            var nest0 = Time(calls, "nest0", 20_000);
            var nest7 = Time(calls, "nest7", 20_000);
            var loop = Time(calls, "loop1000", 50);
            var loopInline = Time(calls, "loop1000_inline", 50);
            Console.WriteLine($"{engine}: empty run {empty:F1}; xorshift {(xorshift - empty) / 10000:F3}/iter; fib90 {(fib - empty) / 90:F3}/iter; " +
                $"bpf2bpf call {(nest7 - nest0) / 7:F2} (nest7), {(loop - loopInline) / 1000:F2} (loop1000)");
            foreach (var prefix in engine == ExecutionEngine.Jit ? new[] { true, false } : [true])
            {
                JitCompiler.UseTailPrefix = prefix;
                using var chain = BpfObject.Load(Prepared.Fixture("tailchain.bpf.o"));
                var k0 = Time(chain, "bare0", 20_000);
                for (var i = 1; i <= 32; i++) chain.Maps["bare"].AsProgramArray()[i] = chain.Programs[$"bare{i}"];
                var k32 = Time(chain, "bare0", 2000);
                Console.WriteLine($"{engine}{(engine == ExecutionEngine.Jit ? prefix ? " tail. calli" : " calli+ret" : "")}: tail call {(k32 - k0) / 32:F2}");
            }
            JitCompiler.UseTailPrefix = true;
            Console.WriteLine($"{engine}: measured rounds took {roundsWallNs / 1e6:F0} ms wall, {roundsCpuNs / 1e6:F0} ms " +
                "thread CPU (more wall than CPU: the thread waited for a CPU)");
            roundsWallNs = roundsCpuNs = 0;
        }
    }

    static double roundsWallNs, roundsCpuNs;

    /// <summary>CPU ns per run: the best of 20 rounds of <paramref name="runs"/> runs, after half a second of runs
    /// (tiered compilation keeps the runtime's own methods, interpreter included, in slow tier-0 code at first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double Best(Prepared program, int runs)
    {
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500)
            for (var i = 0; i < runs; i++) program.Run();
        var best = double.MaxValue;
        for (var round = 0; round < 20; round++)
        {
            var wall = System.Diagnostics.Stopwatch.GetTimestamp();
            var start = ThreadCpuNs();
            for (var i = 0; i < runs; i++) program.Run();
            var cpu = ThreadCpuNs() - start;
            roundsWallNs += System.Diagnostics.Stopwatch.GetElapsedTime(wall).Ticks * 100.0;
            roundsCpuNs += cpu;
            best = Math.Min(best, cpu / runs);
        }
        return best;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec time);

    const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID (Linux)

    static double ThreadCpuNs() => ClockGetTime(ThreadCpuClock, out var t) == 0 ? t.Seconds * 1e9 + t.Nanoseconds
        : throw new PlatformNotSupportedException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
}
