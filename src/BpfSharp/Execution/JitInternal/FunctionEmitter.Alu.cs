using System.Reflection.Emit;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>ALU, ALU64 and jumps. 32-bit operations truncate their operands, compute on IL's int32 and zero-extend
/// (conv.u8); division, modulo and byte swaps call <see cref="AluSemantics"/>, exactly what the interpreter calls,
/// and RyuJIT inlines them with the immediate folded.</summary>
internal sealed partial class FunctionEmitter
{
    void EmitAlu(Instruction insn)
    {
        var op = insn.Opcode;
        var wide = Bpf.Class((byte)op) == Bpf.ALU64;
        var byRegister = Bpf.Source((byte)op) == Bpf.X;
        int dst = (int)insn.Dst, src = (int)insn.Src;
        switch (Bpf.Op((byte)op))
        {
            case Bpf.MOV: EmitMov(insn, wide, byRegister); return;
            case Bpf.END:
                Ld(dst);
                il.Emit(OpCodes.Ldc_I4, insn.Imm);
                il.Emit(OpCodes.Call, JitMethods.Alu(op switch
                {
                    Opcode.Le => nameof(AluSemantics.ToLittleEndian),
                    Opcode.Be => nameof(AluSemantics.ToBigEndian),
                    _ => nameof(AluSemantics.Swap),
                }));
                St(dst);
                return;
            case Bpf.DIV or Bpf.MOD:
            {
                var name = (Bpf.Op((byte)op) == Bpf.DIV ? "Div" : "Mod") + (wide ? "64" : "32");
                Ld(dst);
                if (byRegister) Ld(src);
                else il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
                var method = insn.Offset == 0 ? name : "S" + name;
                il.Emit(OpCodes.Call, wide ? JitMethods.Alu(method) : JitMethods.Static(typeof(JitAlu), method));
                St(dst);
                return;
            }
        }
        Ld(dst);
        if (!wide) il.Emit(OpCodes.Conv_U4);
        var ilOp = Bpf.Op((byte)op) switch
        {
            Bpf.ADD => OpCodes.Add,
            Bpf.SUB => OpCodes.Sub,
            Bpf.MUL => OpCodes.Mul,
            Bpf.OR => OpCodes.Or,
            Bpf.AND => OpCodes.And,
            Bpf.XOR => OpCodes.Xor,
            Bpf.LSH => OpCodes.Shl,
            Bpf.RSH => OpCodes.Shr_Un,
            Bpf.ARSH => OpCodes.Shr,
            _ => OpCodes.Neg,
        };
        if (ilOp == OpCodes.Neg)
        {
            // Unary: no operand.
        }
        else if (ilOp == OpCodes.Shl || ilOp == OpCodes.Shr_Un || ilOp == OpCodes.Shr)
        {
            // Shift counts are masked to the operand width.
            var mask = wide ? 63 : 31;
            if (byRegister)
            {
                // Masked while 64 bits wide, then narrowed: never a bare narrowing of a register local (see JitAlu).
                Ld(src);
                il.Emit(OpCodes.Ldc_I8, (long)mask);
                il.Emit(OpCodes.And);
                il.Emit(OpCodes.Conv_U4);
            }
            else il.Emit(OpCodes.Ldc_I4, insn.Imm & mask);
        }
        else if (byRegister)
        {
            Ld(src);
            if (!wide) il.Emit(OpCodes.Conv_U4);
        }
        else if (wide) il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
        else il.Emit(OpCodes.Ldc_I4, insn.Imm);
        il.Emit(ilOp);
        if (!wide) il.Emit(OpCodes.Conv_U8);
        St(dst);
    }

    /// <summary>mov and movsx (offset 8/16/32 sign-extends that many low bits of src).</summary>
    void EmitMov(Instruction insn, bool wide, bool byRegister)
    {
        if (!byRegister)
        {
            il.Emit(OpCodes.Ldc_I8, wide ? insn.Imm : (long)(uint)insn.Imm);
            St((int)insn.Dst);
            return;
        }
        Ld((int)insn.Src);
        switch (insn.Offset)
        {
            case 8: il.Emit(OpCodes.Conv_I1); break;
            case 16: il.Emit(OpCodes.Conv_I2); break;
            case 32: il.Emit(OpCodes.Conv_I4); break;
            default: if (!wide) il.Emit(OpCodes.Conv_U4); break;
        }
        // A sign-extended int32 becomes 64 bits signed for mov, zero-extended for mov32.
        if (insn.Offset != 0 || !wide) il.Emit(wide ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
        St((int)insn.Dst);
    }

    void EmitJump(Instruction insn, int pc)
    {
        var target = Target(Flow.JumpTarget(insn, pc));
        if (Flow.IsUnconditionalJump(insn.Opcode))
        {
            il.Emit(OpCodes.Br, target);
            return;
        }
        if (insn.Opcode == Opcode.MayGoto)
        {
            il.Emit(OpCodes.Ldloc, mayGoto!);
            il.Emit(OpCodes.Brfalse, target);
            il.Emit(OpCodes.Ldloc, mayGoto!);
            il.Emit(OpCodes.Ldc_I8, 1L);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Stloc, mayGoto!);
            return;
        }
        var narrow = Bpf.Class((byte)insn.Opcode) == Bpf.JMP32;
        Ld((int)insn.Dst);
        if (narrow) il.Emit(OpCodes.Conv_U4);
        if (Bpf.Source((byte)insn.Opcode) == Bpf.X)
        {
            Ld((int)insn.Src);
            if (narrow) il.Emit(OpCodes.Conv_U4);
        }
        else if (narrow) il.Emit(OpCodes.Ldc_I4, insn.Imm);
        else il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
        if (Bpf.Op((byte)insn.Opcode) == Bpf.JSET)
        {
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Brtrue, target);
            return;
        }
        il.Emit(Bpf.Op((byte)insn.Opcode) switch
        {
            Bpf.JEQ => OpCodes.Beq,
            Bpf.JNE => OpCodes.Bne_Un,
            Bpf.JGT => OpCodes.Bgt_Un,
            Bpf.JGE => OpCodes.Bge_Un,
            Bpf.JLT => OpCodes.Blt_Un,
            Bpf.JLE => OpCodes.Ble_Un,
            Bpf.JSGT => OpCodes.Bgt,
            Bpf.JSGE => OpCodes.Bge,
            Bpf.JSLT => OpCodes.Blt,
            _ => OpCodes.Ble, // JSLE
        }, target);
    }
}
