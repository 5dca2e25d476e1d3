using BpfSharp.Loading;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>A packet program (XDP, tc, socket filter, cgroup skb, lwt) run over packet after packet, each run as a
/// <see cref="BpfProgram.Run"/> of that packet would be (a fresh context and packet, the program's maps as the
/// previous packets left them), but without building the run's memory again for every packet: replaying a capture costs
/// what the program costs. One thread at a time; open one runner per thread. The object's memory lives until its runners
/// are disposed, even when the object is disposed first (it runs nothing more then).</summary>
internal sealed class PacketRunner : IDisposable
{
    readonly BpfProgram program;
    readonly PacketSession session;
    readonly ExecutionEngine engine;

    PacketRunner(BpfProgram program, PacketSession session, ExecutionEngine engine)
    {
        (this.program, this.session, this.engine) = (program, session, engine);
        program.Hold();
    }

    /// <summary>Opens a runner that takes this packet program over packet after packet, each run like a test run of
    /// that packet, at a fraction of a test run's cost.</summary>
    /// <param name="program">A program of a type that takes packets.</param>
    /// <param name="engine">The engine every packet runs on (tail-call targets too).</param>
    /// <exception cref="InvalidRunException">The program's type does not take packets (kprobe, raw contexts).</exception>
    public static PacketRunner Open(BpfProgram program, ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        // Compiled now, so that the first packet's time is the program's own (and the kernel JIT-compiles at load too).
        if (engine == ExecutionEngine.Jit) Jit.Compile(program.Executable, program.Owner.Helpers, !program.IsVerified);
        else Interpreter.Prepare(!program.IsVerified);
        return new(program, ProgramTypes.PacketSession(program.Type), engine);
    }

    bool disposed;

    /// <summary>The execution slot (CPU) every run takes, so that a replay worker keeps one CPU's per-CPU values;
    /// null for whichever slot is free.</summary>
    internal int? Cpu { get; set; }

    /// <summary>The engine it runs on.</summary>
    internal ExecutionEngine Engine => engine;

    /// <summary>The program it runs.</summary>
    public BpfProgram Program => program;

    /// <summary>Runs the program on <paramref name="frame"/>, an Ethernet frame.</summary>
    /// <exception cref="InvalidRunException">The frame is one a test run refuses (shorter than an Ethernet header for
    /// skb programs, longer than a page's room for XDP).</exception>
    /// <exception cref="BpfRuntimeException">A bounds-checked (unverified) program faulted.</exception>
    public PacketOutcome Run(ReadOnlySpan<byte> frame)
    {
        session.Load(frame);
        ObjectDisposedException.ThrowIf(disposed, this);
        var invocation = program.Enter(session, Cpu, attachCookie: 0, held: true);
        try
        {
            var r0 = program.Execute(session, invocation, engine);
            return new PacketOutcome((uint)r0, invocation.TailCallCount, invocation.Redirect, session.Output);
        }
        finally
        {
            program.Exit(invocation, held: true);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        session.Dispose();
        program.Release();
    }
}
