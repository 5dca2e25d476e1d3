using System.Reflection.Emit;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Loads, stores, atomics and the legacy packet loads. Memory is real: unchecked code dereferences the address
/// directly. Checked code first compares it with the live stack inline (one subtraction and compare) and calls
/// <see cref="JitRuntime.CheckAccess"/> only when that fails, so the regions' order and the fault message are the
/// interpreter's; accesses at a constant offset inside r10's own frame need no check at all.</summary>
internal sealed partial class FunctionEmitter
{
    void EmitLoad(Instruction insn, int pc)
    {
        var size = Bpf.SizeInBytes((byte)insn.Opcode);
        if (Bpf.IsProbeLoad((byte)insn.Opcode))
        {
            il.Emit(OpCodes.Ldarg_0);
            Ld((int)insn.Src);
            il.Emit(OpCodes.Ldc_I8, (long)insn.Offset);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldc_I4, size);
            il.Emit(Bpf.Mode((byte)insn.Opcode) == Bpf.PROBE_MEMSX ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Call, typeof(ProbeLoads).GetMethod(nameof(ProbeLoads.Load))!);
            St((int)insn.Dst);
            return;
        }
        var signed = Bpf.Mode((byte)insn.Opcode) == Bpf.MEMSX;
        EmitAddress((int)insn.Src, insn.Offset, size, MemoryAccess.Read, pc);
        if (size > 1) il.Emit(OpCodes.Unaligned, (byte)1);
        switch (size)
        {
            case 1: il.Emit(signed ? OpCodes.Ldind_I1 : OpCodes.Ldind_U1); break;
            case 2: il.Emit(signed ? OpCodes.Ldind_I2 : OpCodes.Ldind_U2); break;
            case 4: il.Emit(signed ? OpCodes.Ldind_I4 : OpCodes.Ldind_U4); break;
            default: il.Emit(OpCodes.Ldind_I8); break;
        }
        if (size < 8) il.Emit(signed ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
        St((int)insn.Dst);
    }

    void EmitStore(Instruction insn, int pc)
    {
        var size = Bpf.SizeInBytes((byte)insn.Opcode);
        EmitAddress((int)insn.Dst, insn.Offset, size, MemoryAccess.Write, pc);
        if (Bpf.Class((byte)insn.Opcode) == Bpf.ST)
        {
            if (size == 8) il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
            else il.Emit(OpCodes.Ldc_I4, insn.Imm);
        }
        else
        {
            Ld((int)insn.Src);
            if (size < 8) il.Emit(OpCodes.Conv_U4);
        }
        if (size > 1) il.Emit(OpCodes.Unaligned, (byte)1);
        il.Emit(size switch { 1 => OpCodes.Stind_I1, 2 => OpCodes.Stind_I2, 4 => OpCodes.Stind_I4, _ => OpCodes.Stind_I8 });
    }

    /// <summary>Pushes base + offset as a native pointer, checked in checked code.</summary>
    void EmitAddress(int baseRegister, short offset, int size, MemoryAccess access, int pc)
    {
        Ld(baseRegister);
        il.Emit(OpCodes.Ldc_I8, (long)offset);
        il.Emit(OpCodes.Add);
        if (!isChecked || (baseRegister == 10 && offset >= -Invocation.FrameSize && offset + size <= 0))
        {
            il.Emit(OpCodes.Conv_U);
            return;
        }
        il.Emit(OpCodes.Stloc, address!);
        // (address - stackLow) <= liveLength - size, unsigned: inside the live stack, wrap-around included.
        il.Emit(OpCodes.Ldloc, address!);
        il.Emit(OpCodes.Ldloc, stackLow!);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldloc, liveLength!);
        il.Emit(OpCodes.Ldc_I8, (long)size);
        il.Emit(OpCodes.Sub);
        var slow = il.DefineLabel();
        var checkedOk = il.DefineLabel();
        il.Emit(OpCodes.Bgt_Un, slow);
        il.MarkLabel(checkedOk);
        il.Emit(OpCodes.Ldloc, address!);
        il.Emit(OpCodes.Conv_U);
        cold.Add(() =>
        {
            il.MarkLabel(slow);
            EmitCheck(nameof(JitRuntime.CheckAccess), pc, size, access);
            il.Emit(OpCodes.Br, checkedOk);
        });
    }

    void EmitAtomic(Instruction insn, int pc)
    {
        var size = Bpf.SizeInBytes((byte)insn.Opcode);
        if (insn.Imm is Bpf.LOAD_ACQ or Bpf.STORE_REL)
        {
            EmitOrderedAccess(insn, pc, size);
            return;
        }
        var wide = size == 8;
        EmitAtomicAddress(insn.Dst, insn.Offset, pc, size, MemoryAccess.ReadWrite);
        il.Emit(OpCodes.Conv_U);
        Ld((int)insn.Src);
        if (!wide) il.Emit(OpCodes.Conv_U4);
        var cmpxchg = insn.Imm == Bpf.CMPXCHG;
        if (cmpxchg)
        {
            Ld(0);
            if (!wide) il.Emit(OpCodes.Conv_U4);
        }
        var name = (insn.Imm & ~Bpf.FETCH) switch
        {
            Bpf.ADD => "Add",
            Bpf.OR => "Or",
            Bpf.AND => "And",
            Bpf.XOR => "Xor",
            Bpf.XCHG & ~Bpf.FETCH => "Xchg",
            _ => "CmpXchg",
        };
        il.Emit(OpCodes.Call, JitMethods.Atomic(name + (wide ? "64" : "32")));
        if (!wide) il.Emit(OpCodes.Conv_U8);
        if (cmpxchg) St(0);
        else if ((insn.Imm & Bpf.FETCH) != 0) St((int)insn.Src);
        else il.Emit(OpCodes.Pop);
    }

    /// <summary>Load-acquire (<c>dst = *(src + off)</c>) or store-release (<c>*(dst + off) = src</c>): a load or store
    /// that the hardware must not reorder (see <see cref="Atomics.LoadAcquire"/>), aligned like every atomic.</summary>
    void EmitOrderedAccess(Instruction insn, int pc, int size)
    {
        if (insn.Imm == Bpf.LOAD_ACQ)
        {
            EmitAtomicAddress(insn.Src, insn.Offset, pc, size, MemoryAccess.Read);
            il.Emit(OpCodes.Ldc_I4, size);
            il.Emit(OpCodes.Call, JitMethods.Atomic(nameof(Atomics.LoadAcquire)));
            St((int)insn.Dst);
            return;
        }
        EmitAtomicAddress(insn.Dst, insn.Offset, pc, size, MemoryAccess.Write);
        il.Emit(OpCodes.Ldc_I4, size);
        Ld((int)insn.Src);
        il.Emit(OpCodes.Call, JitMethods.Atomic(nameof(Atomics.StoreRelease)));
    }

    /// <summary>Pushes base + offset; checked code first faults on a misaligned or forbidden address.</summary>
    void EmitAtomicAddress(Register baseRegister, short offset, int pc, int size, MemoryAccess access)
    {
        Ld((int)baseRegister);
        il.Emit(OpCodes.Ldc_I8, (long)offset);
        il.Emit(OpCodes.Add);
        if (!isChecked) return;
        il.Emit(OpCodes.Stloc, address!);
        EmitCheck(nameof(JitRuntime.CheckAtomic), pc, size, access);
        il.Emit(OpCodes.Ldloc, address!);
    }

    /// <summary>Calls a JitRuntime check of the access at <c>address</c>: (invocation, program, pc, address, size,
    /// access), which throws the interpreter's error when it fails.</summary>
    void EmitCheck(string check, int pc, int size, MemoryAccess access)
    {
        il.Emit(OpCodes.Ldarg_0);
        LoadProgram();
        il.Emit(OpCodes.Ldc_I4, pc);
        il.Emit(OpCodes.Ldloc, address!);
        il.Emit(OpCodes.Ldc_I4, size);
        il.Emit(OpCodes.Ldc_I4, (int)access);
        il.Emit(OpCodes.Call, JitMethods.Runtime(check));
    }

    /// <summary>LD_ABS/LD_IND: r0 = the packet's bytes, or, out of bounds, r0 = 0 and exit this function (the
    /// kernel's rewrite, see <see cref="PacketLoads"/>).</summary>
    void EmitPacketLoad(Instruction insn)
    {
        scratch ??= il.DeclareLocal(typeof(long));
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, (int)insn.Opcode);
        il.Emit(OpCodes.Ldc_I4, insn.Imm);
        Ld((int)insn.Src);
        il.Emit(OpCodes.Call, JitMethods.LoadPacket);
        il.Emit(OpCodes.Stloc, scratch);
        il.Emit(OpCodes.Ldloc, scratch);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I8);
        var outside = il.DefineLabel();
        il.Emit(OpCodes.Blt, outside);
        il.Emit(OpCodes.Ldloc, scratch);
        St(0);
        cold.Add(() =>
        {
            il.MarkLabel(outside);
            il.Emit(OpCodes.Ldc_I8, 0L);
            St(0);
            EmitExit();
        });
    }
}
