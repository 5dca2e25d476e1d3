using BpfSharp.Execution;

namespace BpfSharp.Cli.Commands;

/// <summary>The <c>--engine</c> value: "interpreter" or "jit".</summary>
internal static class EngineOption
{
    public static ExecutionEngine Parse(string name) => Engine.TryParse(name, out var engine)
        ? engine
        : throw new BpfException($"engine '{name}' is not one of: interpreter, jit");

    /// <summary>The engine as the option names it.</summary>
    public static string Name(ExecutionEngine engine) => engine.ToString().ToLowerInvariant();
}
