using BpfSharp.Execution;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Programs;

/// <summary>What <c>BPF_PROG_TEST_RUN</c> takes: the packet, the context, how often to run.</summary>
public sealed record TestRunOptions
{
    /// <summary>The packet (<c>data_in</c>): an Ethernet frame for skb and XDP programs.</summary>
    public byte[]? DataIn { get; init; }

    /// <summary>The context (<c>ctx_in</c>): a <c>struct __sk_buff</c>, <c>struct xdp_md</c>, <c>pt_regs</c>, or the
    /// raw context of a host-defined type. Fields the kernel does not accept must be zero.</summary>
    public byte[]? ContextIn { get; init; }

    /// <summary>How many times to run (the kernel's <c>repeat</c>); the context and packet carry over between runs
    /// and the last run's results are reported.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>The execution slot to run in (the kernel's <c>BPF_F_TEST_RUN_ON_CPU</c> with <c>cpu</c>); any free slot
    /// when null. Per-CPU map values are per slot.</summary>
    public int? Cpu { get; init; }

    /// <summary>What <c>bpf_get_attach_cookie</c> returns during the run, as if the program had been attached with
    /// this <c>bpf_cookie</c>; 0 by default, as for a program attached without one.</summary>
    public ulong AttachCookie { get; init; }

    /// <summary>After the runs, lets this many nanoseconds pass on the object's timer clock and runs the timer callbacks
    /// that fall due (<see cref="Loading.BpfObject.AdvanceTimers"/>); null leaves the clock alone. In the kernel an
    /// armed timer fires by itself shortly after its test run.</summary>
    public ulong? AdvanceTimers { get; init; }

    /// <summary>The engine; results are the same by contract.</summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Interpreter;

    /// <summary>Reports every instruction and frame change of each run (<see cref="TraceRecorder"/> records them).
    /// Tracing runs on the interpreter, the reference engine: with <see cref="Engine"/> set to another, the test run is
    /// refused.</summary>
    public IExecutionTracer? Tracer { get; init; }
}
