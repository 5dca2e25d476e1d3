using BpfSharp.Execution;
namespace BpfSharp;

/// <summary>Which engine runs a program. Results are the same by contract.</summary>
public enum ExecutionEngine
{
    /// <summary>The reference interpreter.</summary>
    Interpreter,

    /// <summary>The compiler to IL (<see cref="Execution.Jit"/>): machine code through RyuJIT.</summary>
    Jit,
}
