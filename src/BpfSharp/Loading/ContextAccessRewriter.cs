using BpfSharp.Isa;
using BpfSharp.Programs;
using BpfSharp.Verification;

namespace BpfSharp.Loading;

/// <summary>Rewrites each 32-bit load of a context pointer field (<c>skb-&gt;data</c>, <c>ctx-&gt;data_end</c>) into a
/// 64-bit load of the real pointer from the context's shadow area — the job the kernel's verifier does in
/// <c>convert_ctx_accesses</c>. Other context fields are read and written in place.</summary>
internal static class ContextAccessRewriter
{
    public static Instruction[] Rewrite(string program, Instruction[] code, ContextLayout layout, PointerAnalysis analysis)
    {
        if (layout.PointerFields.Count == 0) return code;
        var result = (Instruction[])code.Clone();
        foreach (var (pc, kind) in analysis.AccessBases)
        {
            var insn = code[pc];
            var size = Bpf.SizeInBytes((byte)insn.Opcode);
            var field = layout.PointerFields.Keys.FirstOrDefault(f => insn.Offset < f + 4 && f < insn.Offset + size, -1);
            if (field < 0 || kind is not (PointerKind.Context or PointerKind.Mixed)) continue;
            var name = layout.PointerFields[field];
            if (kind == PointerKind.Mixed)
                throw new ObjectFormatException($"{program}: the same instruction reads {layout.Name}.{name} on some paths and other memory on others " +
                    "(the kernel refuses this too: \"same insn cannot be used with different pointers\")", instructionIndex: pc);
            if (insn.Opcode != Opcode.LdxW || insn.Offset != field)
                throw new ObjectFormatException($"{program}: invalid access to {layout.Name}.{name}: only a 32-bit load of the whole field is allowed " +
                    $"(the kernel says \"invalid bpf_context access off={insn.Offset} size={size}\")", instructionIndex: pc);
            result[pc] = new Instruction(Opcode.LdxDw, insn.Dst, insn.Src, (short)layout.ShadowOffset(field), 0);
        }
        return result;
    }
}
