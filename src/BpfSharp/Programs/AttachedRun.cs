using BpfSharp.Execution;

namespace BpfSharp.Programs;

/// <summary>What an attached program gets when its event fires, as the kernel hands it over (no test-run copies): r1 =
/// <paramref name="Context"/>, memory the host built and lends for the run through <paramref name="Regions"/>, the
/// task the event happened in as <c>current</c>, and the context flags trace_pipe shows for the hook.</summary>
/// <param name="Context">The address passed in r1.</param>
/// <param name="Regions">The memory behind the context that the program (and its helpers) may read.</param>
/// <param name="Task">The task the pid/uid/comm helpers report.</param>
/// <param name="TraceFlags">The context-info column of the program's trace_pipe lines (see <see cref="Invocation.TraceFlags"/>).</param>
internal sealed record AttachedRun(ulong Context, IReadOnlyList<MemoryRegion> Regions, TaskIdentity Task, string TraceFlags)
{
    /// <summary>The traced task's memory, for <c>bpf_probe_read_user</c>; null to read the regions.</summary>
    public IUserMemory? UserMemory { get; init; }

    /// <summary>The engine; results are the same by contract.</summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Interpreter;
}
