using BpfSharp.Btf;
using BpfSharp.Execution;
using BpfSharp.Isa;
using BpfSharp.Programs;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary>The static safety proof a program must pass before it runs unchecked: every path is simulated on abstract
/// states (register types, scalar bounds, stack contents), and every memory access, helper call and jump is checked,
/// as the Linux kernel's verifier does for privileged programs. A program it accepts is memory-safe and terminates.</summary>
internal static class Verifier
{
    /// <summary>Verifies a program whose context is its type's (the loader calls this for every program).
    /// <paramref name="attachTarget"/> is the section name's part after the type (<c>egress</c> in
    /// <c>cgroup_skb/egress</c>), which decides what some types may return; <paramref name="tracing"/> the target of a
    /// BTF-typed tracing or LSM program, whose BTF is then the kernel's types unless <paramref name="kernelBtf"/> says.</summary>
    /// <exception cref="VerifierException">The program is unsafe; the exception holds the diagnostics.</exception>
    public static VerifierResult Verify(string name, Instruction[] code, ProgramType type, IReadOnlyList<int> functionStarts,
        IReadOnlyDictionary<int, (MapShape Map, bool IsValue, uint Offset)> mapReferences, IReadOnlyList<LineInfo> lines,
        HelperTable helpers, bool log = false, bool strictAlignment = false, string? attachTarget = null, TracingTarget? tracing = null,
        BtfGraph? kernelBtf = null) =>
        Explorer.Verify(new VerifierInput(name, code, type, functionStarts, mapReferences, lines, helpers, StrictAlignment: strictAlignment,
            AttachTarget: attachTarget, Tracing: tracing, KernelBtf: (kernelBtf ?? tracing?.Graph) is { } btf ? new Lazy<BtfGraph>(btf) : null), log);

    /// <summary>Verifies a bare program run the uBPF way (r1 points to <paramref name="memorySize"/> bytes, r2 holds the
    /// size), as the conformance suite runs them.</summary>
    public static VerifierResult VerifyRaw(string name, Instruction[] code, int memorySize, HelperTable helpers, bool log = false) =>
        Explorer.Verify(new VerifierInput(name, code, ProgramType.Unspec, [0], new Dictionary<int, (MapShape, bool, uint)>(), [], helpers,
            memorySize), log);

    /// <summary>Whether BpfSharp knows the context rules of a program type, so that it can verify such programs; for
    /// BTF-typed tracing and LSM programs, once their attach target is found.</summary>
    public static bool CanVerify(ProgramType type, TracingTarget? tracing = null) => ContextRules.For(type, tracing: tracing) is not null;
}
