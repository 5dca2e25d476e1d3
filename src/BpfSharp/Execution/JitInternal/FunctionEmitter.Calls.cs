using BpfSharp.Abi;
using System.Reflection.Emit;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Calls. A BPF-to-BPF call is an IL call of the callee's method with the next frame (r10 - 512) and the
/// same floor; a helper is a call of the delegate resolved at compile time; a tail call looks its target up, and
/// when there is one, ends this method with <c>tail. calli</c> of the target's entry in this frame, so the target's
/// r0 goes to this frame's caller and the .NET stack does not grow.</summary>
internal sealed partial class FunctionEmitter
{
    void EmitLocalCall(Instruction insn, int pc)
    {
        if (compiler.Shape.Callee(pc) is not { } callee)
        {
            EmitThrow(() =>
            {
                LoadProgram();
                il.Emit(OpCodes.Ldc_I4, pc);
                il.Emit(OpCodes.Ldc_I4, Flow.CallTarget(insn, pc));
                il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.CallOutside)));
            });
            return;
        }
        // The program's 8 frames end at the floor: r10 - 512 below it is a ninth.
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldc_I8, (long)Invocation.FrameSize);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldarg_S, (byte)Floor);
        EmitThrowIf(OpCodes.Blt_Un, () =>
        {
            il.Emit(OpCodes.Ldarg_0);
            LoadProgram();
            il.Emit(OpCodes.Ldc_I4, pc);
            il.Emit(OpCodes.Ldarg_S, (byte)R10);
            il.Emit(OpCodes.Ldarg_S, (byte)Floor);
            il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.TooDeep)));
        });
        EmitStoreRegisters(callee.In & Dirty(pc));
        EmitSyncExecuted();
        il.Emit(OpCodes.Ldarg_0);
        for (var r = 1; r <= 5; r++) Ld(r);
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldc_I8, (long)Invocation.FrameSize);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldarg_S, (byte)Floor);
        il.Emit(OpCodes.Call, compiler.MethodOf(callee));
        St(0);
        EmitAfterCall();
        EmitLoadRegisters(Out(callee));
    }

    void EmitHelperCall(Instruction insn, int pc)
    {
        if (compiler.HelperField(insn.Imm) is not { } helper)
        {
            EmitThrow(() =>
            {
                LoadProgram();
                il.Emit(OpCodes.Ldc_I4, pc);
                il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
                il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.UnknownHelper)));
            });
            return;
        }
        il.Emit(OpCodes.Ldarg_0);
        LoadProgram();
        il.Emit(OpCodes.Ldc_I4, pc);
        il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldarg_S, (byte)Floor);
        il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.EnterHelper)));
        EmitSyncExecuted();
        il.Emit(OpCodes.Ldsfld, helper);
        il.Emit(OpCodes.Ldarg_0);
        for (var r = 1; r <= 5; r++) Ld(r);
        il.Emit(OpCodes.Callvirt, JitMethods.InvokeHelper);
        St(0);
        EmitAfterCall();
    }

    /// <summary>A kfunc: a direct call of its implementation, located for its errors as a helper's call is.</summary>
    void EmitKfuncCall(Kfunc kfunc, int pc)
    {
        il.Emit(OpCodes.Ldarg_0);
        LoadProgram();
        il.Emit(OpCodes.Ldc_I4, pc);
        il.Emit(OpCodes.Ldc_I8, HelperCall.KfuncId((int)kfunc.Id));
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldarg_S, (byte)Floor);
        il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.EnterHelper)));
        EmitSyncExecuted();
        il.Emit(OpCodes.Ldarg_0);
        for (var r = 1; r <= 5; r++) Ld(r);
        il.Emit(OpCodes.Call, kfunc.Function.Method);
        St(0);
        EmitAfterCall();
    }

    void EmitCallx(Instruction insn, int pc)
    {
        EmitSyncExecuted();
        il.Emit(OpCodes.Ldarg_0);
        LoadProgram();
        il.Emit(OpCodes.Ldc_I4, pc);
        Ld((int)insn.Dst);
        for (var r = 1; r <= 5; r++) Ld(r);
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldarg_S, (byte)Floor);
        il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.CallHelperById)));
        St(0);
        EmitAfterCall();
    }

    int Dirty(int pc) => function.Dirty[function.PositionOf(pc)];

    void EmitTailCall(int pc)
    {
        var target = il.DeclareLocal(typeof(nint));
        var fallThrough = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_0);
        Ld(2);
        Ld(3);
        il.Emit(isChecked ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        // The target's last r1-r5 are this function's: its hand-back form when this function hands back any.
        il.Emit(Out(function) != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.TailCall)));
        il.Emit(OpCodes.Stloc, target);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Brfalse, fallThrough);
        // The target starts with this frame's registers: it reads r0 and r6-r9 from the block, where the clean ones
        // already are.
        EmitStoreRegisters(Liveness.Extras & Dirty(pc));
        EmitSyncExecuted();
        il.Emit(OpCodes.Ldarg_0);
        for (var r = 1; r <= 5; r++) Ld(r);
        // Same frame; the target's own 8-frame budget starts here.
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.FloorFor)));
        il.Emit(OpCodes.Ldloc, target);
        if (JitCompiler.UseTailPrefix) il.Emit(OpCodes.Tailcall);
        il.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard, typeof(ulong), JitMethods.Signature, null);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(fallThrough);
    }
}
