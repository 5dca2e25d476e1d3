using BpfSharp.Verification;
namespace BpfSharp;

/// <summary>A program the verifier refuses, with the kernel's kind of message; the location names the program and,
/// where there is one, the instruction and its source line.</summary>
public sealed class VerifierException(string program, int instructionIndex, string message, string? sourceLocation = null,
    IReadOnlyList<Diagnostic>? diagnostics = null, IReadOnlyList<string>? log = null)
    : BpfException(Describe(program, instructionIndex, message, sourceLocation))
{
    /// <summary>The findings, the one that rejected the program first.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics ?? [];

    /// <summary>The kernel-style log up to the rejection, when it was asked for.</summary>
    public IReadOnlyList<string> Log { get; } = log ?? [];

    /// <summary>The program that was refused.</summary>
    public string Program { get; } = program;

    /// <summary>The instruction the verdict is about, or -1 when it concerns the whole program.</summary>
    public int InstructionIndex { get; } = instructionIndex;

    /// <summary>The reason, in the kernel's words where the kernel has them.</summary>
    public string Reason { get; } = message;

    static string Describe(string program, int index, string message, string? source) =>
        $"{program}: " + (index >= 0 ? $"insn {index}" + (source is null ? "" : $" ({source})") + ": " : "") + message;
}
