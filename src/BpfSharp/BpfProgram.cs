using BpfSharp.Loading;
using System.Diagnostics;
using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Verification;

namespace BpfSharp;

/// <summary>A loaded program: run it like <c>BPF_PROG_TEST_RUN</c>, put it in program arrays.</summary>
public sealed class BpfProgram
{
    /// <summary><c>r0 = 0; exit</c>: warms a test run's path before it is timed.</summary>
    static readonly ExecutableProgram Idle = new("idle", [Isa.Asm.Mov64(Isa.Register.R0, 0), Isa.Asm.Exit()]) { Verified = true };

    readonly BpfObject owner;

    /// <summary>The object the program belongs to.</summary>
    internal BpfObject Owner => owner;

    internal BpfProgram(BpfObject owner, ProgramSpec spec, ExecutableProgram executable, VerifierResult? verification,
        VerifierException? rejection)
    {
        this.owner = owner;
        Spec = spec;
        Executable = executable;
        executable.Owner = this;
        executable.Verified = verification is not null;
        Verification = verification;
        Rejection = rejection;
        contextSize = (ulong)(verification?.ContextSize ?? 0);
    }

    /// <summary>What a BTF-typed tracing or LSM program attaches to, found in the target BTF when it loaded; null for
    /// other programs and for a section that names no target.</summary>
    internal TracingTarget? Tracing { get; init; }

    /// <summary>The bytes of context the verifier let this type's programs read.</summary>
    readonly ulong contextSize;

    /// <summary>Why the verifier refused the program, when the object was loaded with <see cref="LoadOptions.Verify"/>
    /// off and it did (the program then runs bounds-checked).</summary>
    public VerifierException? Rejection { get; }

    /// <summary>What the verifier found when it accepted the program; null when the program was not verified (its
    /// type's context is unknown to BpfSharp, or the object was loaded with <see cref="LoadOptions.Verify"/> off), in
    /// which case it runs bounds-checked.</summary>
    internal VerifierResult? Verification { get; }

    /// <summary>Whether the program runs without per-access checks.</summary>
    public bool IsVerified => Verification is not null;

    /// <summary>The program as read from the file.</summary>
    internal ProgramSpec Spec { get; }

    /// <summary>The code the engines run (maps resolved, context accesses rewritten).</summary>
    internal ExecutableProgram Executable { get; }

    /// <summary>The function name.</summary>
    public string Name => Spec.Name;

    /// <summary>The program type.</summary>
    public ProgramType Type => Spec.Type;

    /// <summary>Runs the program as the kernel's <c>BPF_PROG_TEST_RUN</c> does for its type and returns what it does.
    /// Unverified programs run bounds-checked, on <see cref="RunOptions.Engine"/> (tail-call targets on the
    /// same engine).</summary>
    public RunResult Run(RunOptions? options = null)
    {
        options ??= new RunOptions();
        if (options.Data is null && ProgramTypes.TakesPackets(Type)) options = options with { Data = RunOptions.DefaultPacket };
        if (options.Repeat < 1) throw new InvalidRunException($"repeat must be at least 1, is {options.Repeat}", -Errno.EINVAL);
        if (options.Cpu is { } cpu && (uint)cpu >= (uint)ExecutionSlots.Count)
            throw new InvalidRunException($"cpu {cpu} does not exist (there are {ExecutionSlots.Count} execution slots)", -Errno.ENXIO);
        if (options.Tracer is not null && options.Engine != ExecutionEngine.Interpreter)
            throw new InvalidRunException($"tracing runs on the interpreter, not the {options.Engine}", -Errno.EINVAL);
        using var session = Spec.Section is { } section && TracingTarget.KindOf(section) == TracingTarget.Attach.Iterator
            ? IteratorSession.For(section.AttachTarget ?? "", options, owner.TargetBtf)
            : ProgramTypes.Session(Type, options, Verification?.MaxContextOffset ?? 0, Trampoline());
        var invocation = Enter(session, options.Cpu, options.AttachCookie);
        RunResult result;
        try
        {
            ulong r0 = 0;
            // Like the kernel, whose programs are JIT-compiled at load: compiling is not part of a run's duration, and
            // neither is .NET compiling the run's own path on its first call (a 2-instruction program's single run
            // took 1.7 ms): an idle program takes that path first, touching nothing.
            if (options.Engine == ExecutionEngine.Jit) CompileWithTargets(invocation);
            else Interpreter.Prepare(invocation.BoundsChecked);
            Engine.Run(Idle, invocation, session.Context, 0, ExecutionEngine.Interpreter);
            var start = Stopwatch.GetTimestamp();
            if (session is IteratorSession iterator)
                r0 = iterator.Run(() => options.Tracer is null ? Engine.Run(Executable, invocation, session.Context, 0, options.Engine)
                    : Execute(session, invocation, options.Engine, options.Tracer));
            else if (options.Tracer is null) r0 = Engine.Run(Executable, invocation, session.Context, 0, options.Engine, options.Repeat);
            else for (var i = 0; i < options.Repeat; i++) r0 = Execute(session, invocation, options.Engine, options.Tracer);
            var elapsed = Stopwatch.GetElapsedTime(start);
            result = new RunResult((uint)r0, r0, session.DataOut(), session.ContextOut(),
                (long)(elapsed.TotalNanoseconds / options.Repeat), invocation.TailCallCount, invocation.Redirect);
        }
        finally
        {
            Exit(invocation);
        }
        // After Exit: the callbacks run in this thread's invocation too, once the run's state is in the result.
        if (options.AdvanceTimers is { } nanoseconds) owner.AdvanceTimers(nanoseconds);
        return result;
    }

    /// <summary>For fentry, fexit, fmod_ret and LSM programs, the traced function's argument count and whether its
    /// return value follows them, as the kernel's trampoline lays out the context; null for the others (a section
    /// without a target, "fentry" alone, names no function).</summary>
    (int Count, bool HasReturn)? Trampoline() => Tracing is { HasTrampoline: true } target
        ? (target.Arguments.Count, target.Kind is TracingTarget.Attach.Exit or TracingTarget.Attach.ModifyReturn)
        : null;

    /// <summary>Compiles this program and what the object's program arrays hold, which its tail calls may reach (the
    /// kernel JIT-compiles every program at load).</summary>
    void CompileWithTargets(Invocation invocation)
    {
        Jit.Compile(Executable, invocation.Helpers, invocation.BoundsChecked);
        Jit.Prepare();
        foreach (var map in owner.Maps.Values)
            if (map.Map is ProgArrayMap array)
                foreach (var target in array.ProgramSlots)
                    if (target is not null) Jit.Compile(target, invocation.Helpers, invocation.BoundsChecked);
    }

    /// <summary>Runs the program once as an attached program runs when its event fires (a kprobe hit, a traced
    /// syscall) and returns r0. Unverified programs run bounds-checked, and so do verified ones when the host lends a
    /// context smaller than the verifier let them read (a tracepoint record shorter than 8192 bytes): the kernel
    /// compares the two when it attaches a program, BpfSharp when it runs one.</summary>
    internal ulong RunAttached(AttachedRun run)
    {
        var invocation = owner.BeginRun();
        var slot = ExecutionSlots.Rent();
        var (task, flags) = (invocation.Task, invocation.TraceFlags);
        try
        {
            invocation.Slot = slot;
            invocation.BoundsChecked = !IsVerified || !LendsWholeContext(run);
            invocation.ClearRegions();
            foreach (var region in run.Regions) invocation.AddRegion(region);
            foreach (var region in owner.MapRegions) invocation.AddRegion(region);
            (invocation.Task, invocation.TraceFlags, invocation.UserMemory) = (run.Task, run.TraceFlags, run.UserMemory);
            return Engine.Run(Executable, invocation, run.Context, 0, run.Engine);
        }
        finally
        {
            // The invocation is this thread's for every later run, test runs included.
            (invocation.Task, invocation.TraceFlags, invocation.UserMemory) = (task, flags, null);
            invocation.ClearRegions();
            ExecutionSlots.Return(slot);
            owner.EndRun();
        }
    }

    bool LendsWholeContext(AttachedRun run) =>
        run.Regions.Any(r => r.Start <= run.Context && run.Context - r.Start <= r.Length && r.Start + r.Length - run.Context >= contextSize);

    /// <summary>Takes this thread's run state for runs over <paramref name="session"/>: an execution slot (the one
    /// asked for, or any), the session's memory and every map's as regions, the session for the helpers. A
    /// <paramref name="held"/> run is inside a <see cref="Hold"/>.</summary>
    internal Invocation Enter(ContextSession session, int? cpu, ulong attachCookie, bool held = false)
    {
        var invocation = held ? owner.HeldRun() : owner.BeginRun();
        invocation.Slot = cpu is { } wanted ? ExecutionSlots.Rent(wanted) : ExecutionSlots.Rent();
        invocation.AttachCookie = attachCookie;
        invocation.BoundsChecked = !IsVerified;
        invocation.ClearRegions();
        session.Attach(invocation);
        invocation.ProgramState = session;
        foreach (var region in owner.MapRegions) invocation.AddRegion(region);
        return invocation;
    }

    /// <summary>One run over the session's context on <paramref name="engine"/> (traced on the interpreter when a
    /// tracer is given).</summary>
    internal ulong Execute(ContextSession session, Invocation invocation, ExecutionEngine engine, IExecutionTracer? tracer = null) =>
        tracer is null
            ? Engine.Run(Executable, invocation, session.Context, 0, engine)
            : Interpreter.Trace(Executable, invocation, tracer, session.Context);

    /// <summary>Gives back what <see cref="Enter"/> took.</summary>
    internal void Exit(Invocation invocation, bool held = false)
    {
        invocation.ClearRegions();
        invocation.ProgramState = null;
        invocation.AttachCookie = 0;
        ExecutionSlots.Return(invocation.Slot);
        if (!held) owner.EndRun();
    }

    /// <summary>Counts one run that lasts until <see cref="Release"/>, for a packet runner's many packets: the object
    /// is freed only once it is released, however early it is disposed.</summary>
    internal void Hold() => owner.BeginRun();

    /// <summary>Ends a <see cref="Hold"/>.</summary>
    internal void Release() => owner.EndRun();

    /// <inheritdoc/>
    public override string ToString() => Spec.ToString();
}
