using System.Reflection.Emit;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Small IL pieces: registers, the invocation's state, throws.</summary>
internal sealed partial class FunctionEmitter
{
    /// <summary>Pushes register <paramref name="r"/> (a ulong).</summary>
    void Ld(int r)
    {
        if (r is >= 1 and <= 5) il.Emit(OpCodes.Ldarg_S, (byte)r);
        else if (r == 10) il.Emit(OpCodes.Ldarg_S, (byte)R10);
        else il.Emit(OpCodes.Ldloc, Local(r));
    }

    /// <summary>Pops a ulong into register <paramref name="r"/> (never r10: the decoder refuses writes to it).</summary>
    void St(int r)
    {
        if (r is >= 1 and <= 5) il.Emit(OpCodes.Starg_S, (byte)r);
        else il.Emit(OpCodes.Stloc, Local(r));
    }

    LocalBuilder Local(int r) => registers[r] ??= il.DeclareLocal(typeof(ulong));

    /// <summary>Copies the registers in <paramref name="mask"/> to the invocation's register block.</summary>
    void EmitStoreRegisters(int mask) => EmitRegisterBlock(mask, r =>
    {
        Ld(r);
        il.Emit(OpCodes.Stind_I8);
    });

    /// <summary>Copies the registers in <paramref name="mask"/> from the invocation's register block.</summary>
    void EmitLoadRegisters(int mask) => EmitRegisterBlock(mask, r =>
    {
        il.Emit(OpCodes.Ldind_I8);
        St(r);
    });

    /// <summary>Pushes each slot's address in turn (the block's address read once) for <paramref name="access"/>.</summary>
    void EmitRegisterBlock(int mask, Action<int> access)
    {
        if (mask == 0) return;
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, JitMethods.Registers);
        foreach (var r in Registers(mask))
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, r * sizeof(ulong));
            il.Emit(OpCodes.Add);
            access(r);
        }
        il.Emit(OpCodes.Pop);
    }


    static IEnumerable<int> Registers(int mask)
    {
        for (var r = 0; r < 10; r++)
            if ((mask & 1 << r) != 0)
                yield return r;
    }

    void LoadProgram() => il.Emit(OpCodes.Ldsfld, compiler.ProgramField);

    /// <summary>Checked code keeps its instruction count in a local; the invocation has it whenever control leaves.</summary>
    void EmitSyncExecuted()
    {
        if (!isChecked) return;
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, executed!);
        il.Emit(OpCodes.Call, JitMethods.SetExecuted);
    }

    /// <summary>After a call: the callee (or a callback the helper ran) counted on; this frame's stack is live again.</summary>
    void EmitAfterCall()
    {
        if (!isChecked) return;
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, JitMethods.GetExecuted);
        il.Emit(OpCodes.Stloc, executed!);
        EmitRestoreStackLow();
    }

    void EmitRestoreStackLow()
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, stackLow!);
        il.Emit(OpCodes.Call, JitMethods.SetStackLow);
    }

    /// <summary>Throws the exception <paramref name="build"/> pushes, here.</summary>
    void EmitThrowNow(Action build)
    {
        build();
        il.Emit(OpCodes.Throw);
    }

    /// <summary>An unconditional throw in the body (the instruction can only fail).</summary>
    void EmitThrow(Action build) => EmitThrowNow(build);

    /// <summary>Branches with <paramref name="branch"/> (consuming its operands) to a cold block that throws.</summary>
    void EmitThrowIf(OpCode branch, Action build)
    {
        var label = il.DefineLabel();
        il.Emit(branch, label);
        cold.Add(() =>
        {
            il.MarkLabel(label);
            EmitThrowNow(build);
        });
    }
}
