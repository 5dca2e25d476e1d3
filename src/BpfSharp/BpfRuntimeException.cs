using BpfSharp.Execution;
namespace BpfSharp;

/// <summary>A program stopped at run time: a checked-mode memory fault, an exhausted instruction budget, a call
/// that cannot be made. The host is never harmed; the message names the program and instruction.</summary>
public class BpfRuntimeException(string program, int instructionIndex, string message)
    : BpfException($"{program}: insn {instructionIndex}: {message}")
{
    /// <summary>The program (function) that was running.</summary>
    public string Program { get; } = program;

    /// <summary>The index of the instruction that stopped, in its program's code.</summary>
    public int InstructionIndex { get; } = instructionIndex;

    /// <summary>The reason, without the location.</summary>
    public string Reason { get; } = message;
}
