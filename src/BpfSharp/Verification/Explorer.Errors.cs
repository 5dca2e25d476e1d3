using System.Text;
using BpfSharp.Isa;
using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

internal sealed partial class Explorer
{
    /// <summary>The instruction as llvm-objdump prints it (a <c>lddw</c> with its full immediate).</summary>
    string Disassemble(int pc) => Disassembler.FormatInstruction(code, pc);

    /// <summary>The error that rejects the program: the kernel's words, located, with the registers the instruction
    /// uses and a sentence on what to do.</summary>
    VerifierException Fail(int pc, string kernelMessage, VerifierState? state, string? explanation = null)
    {
        var source = input.LineOf(pc);
        var registers = state is null ? "" : RegistersOf(state, pc);
        var diagnostic = new Diagnostic(pc, Disassemble(pc), source, registers, kernelMessage, explanation ?? kernelMessage);
        log?.Add($"{pc}: {kernelMessage}");
        return new VerifierException(input.Name, pc, kernelMessage, source?.Location, [diagnostic], log);
    }

    /// <summary>"R1=ctx() R2=fp-8": the registers an instruction reads, as the kernel's log shows them.</summary>
    string RegistersOf(VerifierState state, int pc)
    {
        if ((uint)pc >= (uint)code.Length) return "";
        var insn = code[pc];
        var used = new SortedSet<int>();
        if (insn.Opcode == Opcode.Call) for (var r = 1; r <= 5; r++) used.Add(r);
        else if (insn.Opcode == Opcode.Exit) used.Add(0);
        else
        {
            used.Add((int)insn.Dst);
            if (Bpf.Source((byte)insn.Opcode) == Bpf.X || insn.Class is Bpf.LDX or Bpf.STX) used.Add((int)insn.Src);
        }
        return string.Join(" ", used.Where(r => r <= 10 && state.Registers[r].Kind != RegisterKind.NotInit)
            .Select(r => $"R{r}={state.Registers[r]}"));
    }

    /// <summary>Reading a register nobody wrote.</summary>
    RegisterState Read(VerifierState state, int register, int pc)
    {
        var value = state.Registers[register];
        if (value.Kind == RegisterKind.NotInit)
            throw Fail(pc, $"R{register} !read_ok", state,
                $"r{register} is read before anything was written to it on this path (after a call, r1-r5 hold nothing)");
        return value;
    }

    /// <summary>The kernel's name for what a register holds, telling ring-buffer records from other memory.</summary>
    static string KindName(RegisterState r) =>
        r.Btf is { } target && r.Kind is RegisterKind.BtfObject or RegisterKind.BtfObjectOrNull
            ? target.KindName + (r.Kind == RegisterKind.BtfObjectOrNull ? "or_null_" : "")
        : r.ReferenceId != 0 && r.DynptrId == 0 && r.Kind is RegisterKind.Memory or RegisterKind.MemoryOrNull ? "ringbuf_" + KindName(r.Kind) : KindName(r.Kind);

    /// <summary>The kernel's name for a register kind in messages ('scalar', 'map_value_or_null', ...).</summary>
    static string KindName(RegisterKind kind) => kind.KernelName();
}
