using System.Runtime.InteropServices;
using BpfSharp.Execution;
using BpfSharp.Loading;
using BpfSharp.Programs;

namespace BpfSharp.Events;

/// <summary>A kprobe program attached, as tracex5 attaches it, to <c>__seccomp_filter</c>: run at every syscall entry of a
/// traced command with that function's arguments (<see cref="SeccompFilterContext"/>), in the traced task, reading its
/// memory through <c>bpf_probe_read_user</c>.</summary>
internal sealed class SeccompFilterProbe : IDisposable
{
    /// <summary>trace_pipe's context flags for a kprobe placed through ftrace at a function's entry: interrupts on, the
    /// preempt count the ftrace handler and bpf_trace_printk hold, the migrate_disable of the BPF run. Derived from the
    /// kernel's code path, not measured (this machine's kernel has no CONFIG_KPROBES).</summary>
    const string KprobeTraceFlags = "...21";

    readonly BpfProgram program;
    readonly ExecutionEngine engine;
    readonly SeccompFilterContext context = new(RuntimeInformation.ProcessArchitecture);

    /// <summary>Attaches <paramref name="program"/>, which must be a kprobe program, to run on <paramref name="engine"/>.</summary>
    public SeccompFilterProbe(BpfProgram program, ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        if (program.Type != ProgramType.Kprobe)
            throw new SyscallTracingException($"{program.Name} is a {program.Type} program; the syscall probe runs kprobe programs (SEC(\"kprobe/__seccomp_filter\"))");
        this.program = program;
        this.engine = engine;
    }

    /// <summary>How many times the program ran.</summary>
    public long Runs { get; private set; }

    /// <summary>Runs the program for one syscall entry (on the tracer's thread, while the task is stopped).</summary>
    public void Handle(SyscallEntry entry)
    {
        context.Fill(entry);
        program.RunAttached(new AttachedRun(context.Registers, context.Regions, entry.Task, KprobeTraceFlags)
        {
            UserMemory = entry.Memory,
            Engine = engine,
        });
        Runs++;
    }

    /// <inheritdoc/>
    public void Dispose() => context.Dispose();
}
