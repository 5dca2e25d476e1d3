using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Verification;
using BpfSharp.Verification.State;

namespace BpfSharp.Tests.Verification;

/// <summary>Runs BpfSharp's verifier on a case, with the case's maps referenced the way the kernel harness
/// references them (<c>lddw</c> src 1/2 with the map's index in imm).</summary>
public static class BpfSharpVerifierRun
{
    /// <summary>Null when accepted; the exception when refused.</summary>
    public static VerifierException? Verify(VerifierCase c)
    {
        var references = new Dictionary<int, (MapShape, bool, uint)>();
        var code = c.Instructions;
        for (var i = 0; i < code.Length; i++)
            if (code[i].Opcode == Opcode.Lddw && code[i].Src is (Register)Bpf.PSEUDO_MAP_FD or (Register)Bpf.PSEUDO_MAP_VALUE)
            {
                if ((uint)code[i].Imm < (uint)c.Maps.Count)
                    references[i] = (MapShape.Of(c.Maps[code[i].Imm].Spec, c.Maps[code[i].Imm].SpinLockOffset), code[i].Src == (Register)Bpf.PSEUDO_MAP_VALUE,
                        i + 1 < code.Length ? (uint)code[i + 1].Imm : 0);
            }
        try
        {
            BpfSharp.Verification.Verifier.Verify(c.Name, code, c.ProgramType, [0], references, [], StandardHelpers.Create(),
                strictAlignment: (c.ProgramFlags & VerifierCase.StrictAlignment) != 0, attachTarget: c.Attach);
            return null;
        }
        catch (VerifierException e)
        {
            return e;
        }
    }
}
