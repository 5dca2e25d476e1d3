using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Programs;
using BpfSharp.Verification;
using BpfSharp.Verification.State;

namespace BpfSharp.Cli.Kernel;

/// <summary>BpfSharp's verifier on a raw program whose <c>lddw</c>s name maps by index (src 1 <c>map:K</c>, src 2
/// <c>mapvalue:K+OFF</c>), as <see cref="KernelVerifier"/> hands the same program to the kernel: the two verdicts
/// are on the same bytes.</summary>
internal static class LocalVerifier
{
    /// <summary>Null when accepted; the refusal otherwise. <paramref name="tracing"/>: a BTF-typed tracing or LSM
    /// program's target; <paramref name="kernelBtf"/>: the kernel's types BTF pointers point to.</summary>
    public static VerifierException? Verify(string name, ProgramType type, IReadOnlyList<CaseMap> maps, Instruction[] code,
        bool strictAlignment = false, string? attachTarget = null, TracingTarget? tracing = null, Btf.BtfGraph? kernelBtf = null)
    {
        var references = new Dictionary<int, (MapShape, bool, uint)>();
        for (var i = 0; i < code.Length; i++)
            if (code[i].Opcode == Opcode.Lddw && code[i].Src is (Register)Bpf.PSEUDO_MAP_FD or (Register)Bpf.PSEUDO_MAP_VALUE
                && (uint)code[i].Imm < (uint)maps.Count)
                references[i] = (Shape(maps[code[i].Imm]), code[i].Src == (Register)Bpf.PSEUDO_MAP_VALUE,
                    i + 1 < code.Length ? (uint)code[i + 1].Imm : 0);
        try
        {
            Verifier.Verify(name, code, type, [0], references, [], StandardHelpers.Create(), strictAlignment: strictAlignment,
                attachTarget: attachTarget, tracing: tracing, kernelBtf: kernelBtf);
            return null;
        }
        catch (VerifierException e)
        {
            return e;
        }
    }

    static MapShape Shape(CaseMap map) => MapShape.Of(map.Spec, map.SpinLockOffset, map.TimerOffset) with { HasBtf = map.HasBtf };
}
