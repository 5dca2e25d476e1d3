namespace BpfSharp.Execution;

/// <summary>A helper function a program calls by id (<c>call imm</c>), with the kernel's convention: arguments in
/// r1-r5, result in r0, negative errno on failure.</summary>
internal delegate ulong HelperFunction(Invocation invocation, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
