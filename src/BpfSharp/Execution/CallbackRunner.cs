namespace BpfSharp.Execution;

/// <summary>How an engine runs a function of a program as a callback from a helper.</summary>
internal delegate ulong CallbackRunner(Invocation invocation, ExecutableProgram program, int pc, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
