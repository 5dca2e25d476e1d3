namespace BpfSharp.Execution.Tracing;

/// <summary>A tracer that also looks at the run's memory while it is stopped in a callback (a debugger reading the
/// stack, the context, the packet): it is handed the invocation before the run starts.</summary>
internal interface IInvocationTracer : IExecutionTracer
{
    /// <summary>The run about to start uses <paramref name="invocation"/> (its regions, its stack).</summary>
    void Attach(Invocation invocation);
}
