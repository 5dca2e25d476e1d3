using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Isa;
using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>What the verifier checks: a linked program with its maps resolved, the program type (its context rules
/// and helpers), and the source lines for diagnostics.</summary>
/// <param name="Name">The program's name, for messages.</param>
/// <param name="Code">The linked instructions.</param>
/// <param name="Type">The program type.</param>
/// <param name="FunctionStarts">First instruction of each function the loader knows of.</param>
/// <param name="MapReferences">For each <c>lddw</c> that names a map: the map, whether it loads the address of the
/// map's value (global data) rather than the map, and the offset into the value.</param>
/// <param name="Lines">BTF line info, in instruction order.</param>
/// <param name="Helpers">The helpers the program may call.</param>
/// <param name="StrictAlignment">BPF_F_STRICT_ALIGNMENT: every access naturally aligned, packets as if NET_IP_ALIGN
/// were 2, as on architectures without efficient unaligned access.</param>
/// <param name="AttachTarget">The section name's attach part (<c>egress</c> in <c>cgroup_skb/egress</c>).</param>
/// <param name="MemorySize">For programs without a context type (the conformance suite's memory model): r1 points to
/// this many bytes and r2 holds the number.</param>
/// <param name="CollectViews">Keep what it knew of each register before each instruction
/// (<see cref="VerifierResult.RegisterViews"/>), for a debugger.</param>
/// <param name="Tracing">For BTF-typed tracing and LSM programs, the function or tracepoint they attach to, whose
/// arguments are their context.</param>
/// <param name="KernelBtf">The kernel types BTF pointers point to (the target BTF), read only when a program meets one.</param>
/// <param name="Sleepable">Whether the program may sleep (BPF_F_SLEEPABLE: a <c>.s</c> section).</param>
internal sealed record VerifierInput(
    string Name,
    Instruction[] Code,
    ProgramType Type,
    IReadOnlyList<int> FunctionStarts,
    IReadOnlyDictionary<int, (MapShape Map, bool IsValue, uint Offset)> MapReferences,
    IReadOnlyList<LineInfo> Lines,
    HelperTable Helpers,
    int? MemorySize = null,
    bool StrictAlignment = false,
    string? AttachTarget = null,
    bool CollectViews = false,
    TracingTarget? Tracing = null,
    Lazy<BtfGraph>? KernelBtf = null,
    bool Sleepable = false)
{
    /// <summary>The source line of an instruction: the last line record at or before it.</summary>
    public LineInfo? LineOf(int pc) => Lines.LastOrDefault(l => l.InstructionIndex <= pc);
}
