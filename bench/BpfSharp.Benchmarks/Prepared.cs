using System.Runtime.CompilerServices;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Benchmarks;

/// <summary>A program of a fixture object set up the way <see cref="BpfProgram.Run"/> sets one up (the 64-byte
/// packet bpftool's examples use, the context, the maps' regions), once, so that a benchmark times only what the
/// kernel's test-run loop times per repeat: one run. Benchmarks are single-threaded: every run uses execution slot 0
/// without renting it (a process pinned to one CPU has one slot, and a class prepares several programs).</summary>
public sealed class Prepared : IDisposable
{
    readonly ContextSession session;

    public Prepared(BpfObject obj, string program, ExecutionEngine engine, bool boundsChecked)
    {
        Program = obj.Programs[program];
        Engine = engine;
        session = ProgramTypes.Session(Program.Type, new RunOptions { Data = new byte[64] }, Program.Verification?.MaxContextOffset ?? 0);
        Invocation = new Invocation(obj.Helpers) { TailCallTargets = TailCallTargets.Instance, BoundsChecked = boundsChecked };
        session.Attach(Invocation);
        Invocation.ProgramState = session;
        foreach (var region in obj.MapRegions) Invocation.AddRegion(region);
        Invocation.Slot = 0;
        Run();
    }

    public BpfProgram Program { get; }

    public ExecutionEngine Engine { get; }

    internal Invocation Invocation { get; }

    // Compiled optimised at once: the runs measured right after start-up would otherwise go through tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Run() => Execution.Engine.Run(Program.Executable, Invocation, session.Context, 0, Engine);

    public void Dispose()
    {
        session.Dispose();
        Invocation.Dispose();
    }

    /// <summary>tests/fixtures/bench/NAME, found from wherever BenchmarkDotNet runs us.</summary>
    public static string Fixture(string name) => RepositoryFile(Path.Combine("tests", "fixtures", "bench", name));

    /// <summary>A file of the repository by its path from the root, found from wherever BenchmarkDotNet runs us.</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, relative);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
