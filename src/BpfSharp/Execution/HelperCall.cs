namespace BpfSharp.Execution;

/// <summary>A helper call: the program, the call instruction and the helper id, what a helper's errors name.</summary>
internal readonly record struct HelperCall(ExecutableProgram? Program, int Site, long Id);
