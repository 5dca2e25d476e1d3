using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Execution;

/// <summary>Runs hand-built programs for the semantic tests, bounds-checked, over an optional memory buffer, on the
/// engine the theory asks for.</summary>
internal static class Machine
{
    /// <summary>Every engine: each semantic test runs on all of them (the interpreter is the reference).</summary>
    public static TheoryData<ExecutionEngine> Engines => Support.EngineTheories.Engines;

    public static ulong Run(ExecutionEngine engine, params Instruction[] code) => Run(engine, code, Array.Empty<byte>());

    public static ulong Run(ExecutionEngine engine, Instruction[] code, byte[] memory, ITailCallTargets? targets = null, Invocation? invocation = null)
    {
        var program = new ExecutableProgram("test", code);
        var inv = invocation ?? new Invocation(StandardHelpers.Create());
        try
        {
            inv.TailCallTargets = targets ?? inv.TailCallTargets;
            return RawExecution.Run(program, memory, inv, engine);
        }
        finally
        {
            if (invocation is null) inv.Dispose();
        }
    }

    /// <summary>Concatenates instructions and lddw pairs into one program.</summary>
    public static Instruction[] Code(params object[] parts) => parts.SelectMany(p => p switch
    {
        Instruction i => new[] { i },
        Instruction[] many => many,
        _ => throw new ArgumentException($"not an instruction: {p}"),
    }).ToArray();
}

/// <summary>A program array for tests: slot index → program.</summary>
internal sealed class FakeProgramArray(ulong mapPointer, params ExecutableProgram?[] slots) : ITailCallTargets
{
    public ExecutableProgram? Find(ulong pointer, ulong index) =>
        pointer == mapPointer && index < (ulong)slots.Length ? slots[index] : null;
}
