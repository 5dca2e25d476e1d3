namespace BpfSharp.Verification;

/// <summary>A program the verifier accepted, with what it found out on the way.</summary>
/// <param name="ProcessedInstructions">Instructions it simulated over all paths (the kernel's "processed N insns").</param>
/// <param name="StackDepths">Bytes of stack each function uses, in function order.</param>
/// <param name="Log">The kernel-style log (state per instruction) when it was asked for.</param>
internal sealed record VerifierResult(int ProcessedInstructions, IReadOnlyList<int> StackDepths, IReadOnlyList<string> Log)
{
    /// <summary>Where the program's furthest context access ends (the kernel's <c>max_ctx_offset</c>): a raw
    /// tracepoint's test run must pass at least this many bytes of arguments.</summary>
    public int MaxContextOffset { get; init; }

    /// <summary>The bytes of context the program may read (0 for the conformance suite's memory model): a host that
    /// lends fewer gets bounds-checked runs.</summary>
    public int ContextSize { get; init; }

    /// <summary>Instructions no path reached: the kernel replaces such dead code with traps
    /// (<c>sanitize_dead_code</c>), which also keeps fields it never checked from ever running.</summary>
    internal IReadOnlyList<int> Unreached { get; init; } = [];

    /// <summary>Loads through BTF pointers, which the loader makes probe loads (<c>BPF_PROBE_MEM</c>: a read of
    /// unmapped memory gives 0, as the kernel's exception table makes it).</summary>
    internal IReadOnlyList<int> ProbeLoads { get; init; } = [];

    /// <summary>Reads of a map's kernel struct through its pointer, by instruction, and the number each gives
    /// (<see cref="MapStructImage"/>): BpfSharp's map pointers are handles, so the loader writes the number instead.</summary>
    internal IReadOnlyDictionary<int, ulong> MapFieldReads { get; init; } = new Dictionary<int, ulong>();

    /// <summary>What it knew of each register before each instruction, when asked for (<see cref="VerifierInput.CollectViews"/>).</summary>
    internal RegisterViews? RegisterViews { get; init; }
}
