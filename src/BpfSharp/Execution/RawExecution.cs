using System.Runtime.InteropServices;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Execution;

/// <summary>Runs a bare program over a buffer the way uBPF and the conformance suite do: r1 points to a private
/// copy of the buffer (0 when there is none), r2 holds its length, r10 the top of the stack. Bounds-checked, since
/// nothing verified the program.</summary>
internal static unsafe class RawExecution
{
    /// <summary>Runs <paramref name="program"/> on <paramref name="engine"/> and returns r0; <paramref name="memory"/>
    /// receives what the program wrote to its copy.</summary>
    public static ulong Run(ExecutableProgram program, Span<byte> memory, Invocation invocation,
        ExecutionEngine engine = ExecutionEngine.Interpreter) =>
        Over(memory, invocation, (r1, r2) => Engine.Run(program, invocation, r1, r2, engine));

    /// <summary>Runs <paramref name="program"/> on the interpreter as <see cref="Run"/> does, reporting every
    /// instruction and frame change to <paramref name="tracer"/>.</summary>
    public static ulong Trace(ExecutableProgram program, Span<byte> memory, Invocation invocation, IExecutionTracer tracer) =>
        Over(memory, invocation, (r1, r2) => Interpreter.Trace(program, invocation, tracer, r1, r2));

    static ulong Over(Span<byte> memory, Invocation invocation, Func<ulong, ulong, ulong> run)
    {
        var copy = (byte*)NativeMemory.Alloc((nuint)Math.Max(memory.Length, 1));
        try
        {
            memory.CopyTo(new Span<byte>(copy, memory.Length));
            invocation.ClearRegions();
            if (memory.Length > 0)
                invocation.AddRegion(new MemoryRegion("memory", (ulong)copy, (ulong)memory.Length, MemoryAccess.ReadWrite));
            var r1 = memory.Length > 0 ? (ulong)copy : 0;
            var result = run(r1, (ulong)memory.Length);
            new Span<byte>(copy, memory.Length).CopyTo(memory);
            return result;
        }
        finally
        {
            invocation.ClearRegions();
            NativeMemory.Free(copy);
        }
    }
}
