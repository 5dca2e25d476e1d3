using BpfSharp.Isa;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>One generated test: <see cref="Programs"/>[0] runs over a copy of <see cref="Data"/> (r1 = its address,
/// r2 = its length, as <see cref="RawExecution"/> does); the others fill slots 0, 1, … of the program array that
/// r2 = <see cref="ProgramGenerator.ProgramArray"/> names in tail calls. Runs stop after <see cref="Budget"/>
/// instructions.</summary>
internal sealed record FuzzCase(Instruction[][] Programs, byte[] Data, long Budget);
