using BpfSharp.Isa;

namespace BpfSharp.Execution.Tracing;

/// <summary>A register an instruction changed: <c>r0 = 0xcafe</c> gives <c>r0: 0x0 → 0xcafe</c>.</summary>
internal readonly record struct RegisterChange(Register Register, ulong Before, ulong After);
