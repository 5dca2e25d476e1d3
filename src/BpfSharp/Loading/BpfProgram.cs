using System.Diagnostics;
using BpfSharp.Execution;
using BpfSharp.Programs;

namespace BpfSharp.Loading;

/// <summary>A loaded program: run it like <c>BPF_PROG_TEST_RUN</c>, put it in program arrays.</summary>
public sealed class BpfProgram
{
    readonly BpfObject owner;

    internal BpfProgram(BpfObject owner, ProgramSpec spec, ExecutableProgram executable)
    {
        this.owner = owner;
        Spec = spec;
        Executable = executable;
    }

    /// <summary>The program as read from the file.</summary>
    public ProgramSpec Spec { get; }

    /// <summary>The code the engines run (maps resolved, context accesses rewritten).</summary>
    public ExecutableProgram Executable { get; }

    /// <summary>The function name.</summary>
    public string Name => Spec.Name;

    /// <summary>The program type.</summary>
    public ProgramType Type => Spec.Type;

    /// <summary>Runs the program as the kernel's <c>BPF_PROG_TEST_RUN</c> does for its type and returns what it does.
    /// Unverified programs run bounds-checked.</summary>
    public TestRunResult TestRun(TestRunOptions? options = null)
    {
        options ??= new TestRunOptions();
        if (options.Repeat < 1) throw new TestRunException($"repeat must be at least 1, is {options.Repeat}", -Errno.EINVAL);
        using var session = ProgramTypes.Session(Type, options);
        var invocation = owner.RentInvocation();
        invocation.ClearRegions();
        session.Attach(invocation);
        invocation.ProgramState = session;
        foreach (var region in owner.MapRegions) invocation.AddRegion(region);
        if (options.Cpu is { } cpu && (uint)cpu >= (uint)ExecutionSlots.Count)
            throw new TestRunException($"cpu {cpu} does not exist (there are {ExecutionSlots.Count} execution slots)", -Errno.ENXIO);
        var slot = options.Cpu is { } wanted ? ExecutionSlots.Rent(wanted) : ExecutionSlots.Rent();
        invocation.Slot = slot;
        invocation.AttachCookie = options.AttachCookie;
        try
        {
            ulong r0 = 0;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < options.Repeat; i++)
            {
                session.Redirect = null;
                r0 = Interpreter.Run(Executable, invocation, session.Context);
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            return new TestRunResult((uint)r0, r0, session.DataOut(), session.ContextOut(),
                (long)(elapsed.TotalNanoseconds / options.Repeat), invocation.TailCallCount, session.Redirect);
        }
        finally
        {
            ExecutionSlots.Return(slot);
            invocation.ClearRegions();
            invocation.ProgramState = null;
            invocation.AttachCookie = 0;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Spec.ToString();
}
