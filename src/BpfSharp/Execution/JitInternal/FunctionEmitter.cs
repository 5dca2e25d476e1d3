using System.Reflection.Emit;
using BpfSharp.Helpers;
using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>Emits one BPF function as IL. Registers are locals (r1-r5 and r10 are the method's own arguments), every
/// reachable instruction gets a label defined up front, jumps are IL branches, and whatever only runs on a failure
/// (throws, the slow half of a bounds check) is emitted after the body so the hot path stays straight. Checked
/// code also counts the instruction budget once per block (see <see cref="Flow.EndsBlock"/>).</summary>
internal sealed partial class FunctionEmitter
{
    // Argument slots of every function (JitMethods.Signature).
    const short R10 = 6, Floor = 7;

    readonly JitCompiler compiler;
    readonly FunctionShape function;
    readonly ILGenerator il;
    readonly Instruction[] code;
    readonly bool isChecked;
    readonly Label[] labels;
    readonly int[] blockLength;
    readonly LocalBuilder?[] registers = new LocalBuilder?[10];
    readonly Dictionary<int, Label> stubs = new();
    readonly List<Action> cold = new();
    Label? budgetExhausted;
    LocalBuilder? executed, budget, stackLow, liveLength, address, scratch, mayGoto;

    public FunctionEmitter(JitCompiler compiler, FunctionShape function, ILGenerator il)
    {
        this.compiler = compiler;
        this.function = function;
        this.il = il;
        code = compiler.Shape.Code;
        isChecked = compiler.Checked;
        labels = new Label[function.Pcs.Length];
        for (var i = 0; i < labels.Length; i++) labels[i] = il.DefineLabel();
        blockLength = isChecked ? Blocks() : [];
    }

    public void Emit()
    {
        EmitPrologue();
        var pcs = function.Pcs;
        if (pcs.Length == 0 || pcs[0] != function.Start) il.Emit(OpCodes.Br, Target(function.Start));
        for (var i = 0; i < pcs.Length; i++)
        {
            var pc = pcs[i];
            var insn = code[pc];
            il.MarkLabel(labels[i]);
            if (isChecked && blockLength[i] > 0) EmitBudget(pc, blockLength[i]);
            EmitInstruction(insn, pc);
            if (!Flow.FallsThrough(code, insn, pc) || Flow.IsUnconditionalJump(insn.Opcode)) continue;
            var next = Flow.Next(insn, pc);
            if (i + 1 >= pcs.Length || pcs[i + 1] != next) il.Emit(OpCodes.Br, Target(next));
        }
        // Cold code may add more cold code (a stub's own budget check).
        for (var i = 0; i < cold.Count; i++) cold[i]();
    }

    /// <summary>The r1-r5 a function hands back: what its callers read, or all of them in hand-back code.</summary>
    int Out(FunctionShape f) => compiler.HandBack ? Liveness.Args : f.Out;

    void EmitPrologue()
    {
        EmitLoadRegisters(function.Load);
        if (function.Pcs.Any(pc => code[pc].Opcode == Opcode.MayGoto))
        {
            // The frame's own loop budget: a call gets a fresh one, and a tail call's target (a method of its own) too.
            mayGoto = il.DeclareLocal(typeof(long));
            il.Emit(OpCodes.Ldc_I8, Bpf.MaxLoops);
            il.Emit(OpCodes.Stloc, mayGoto);
        }
        if (!isChecked) return;
        (executed, budget) = (il.DeclareLocal(typeof(long)), il.DeclareLocal(typeof(long)));
        (stackLow, liveLength, address) = (il.DeclareLocal(typeof(ulong)), il.DeclareLocal(typeof(ulong)), il.DeclareLocal(typeof(ulong)));
        // The live stack is this frame and every frame above it: [r10 - 512, StackTop), as in the interpreter.
        il.Emit(OpCodes.Ldarg_S, (byte)R10);
        il.Emit(OpCodes.Ldc_I8, (long)Invocation.FrameSize);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stloc, stackLow);
        EmitRestoreStackLow();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, JitMethods.StackTop);
        il.Emit(OpCodes.Ldloc, stackLow);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stloc, liveLength);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, JitMethods.GetExecuted);
        il.Emit(OpCodes.Stloc, executed);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, JitMethods.Budget);
        il.Emit(OpCodes.Stloc, budget);
    }

    void EmitInstruction(Instruction insn, int pc)
    {
        switch (Bpf.Class((byte)insn.Opcode))
        {
            case Bpf.ALU or Bpf.ALU64: EmitAlu(insn); break;
            case Bpf.LD when insn.Opcode == Opcode.Lddw:
                il.Emit(OpCodes.Ldc_I8, (long)((uint)insn.Imm | (ulong)(uint)code[pc + 1].Imm << 32));
                St((int)insn.Dst);
                break;
            case Bpf.LD: EmitPacketLoad(insn); break;
            case Bpf.LDX: EmitLoad(insn, pc); break;
            case Bpf.ST or Bpf.STX when Bpf.Mode((byte)insn.Opcode) == Bpf.ATOMIC: EmitAtomic(insn, pc); break;
            case Bpf.ST or Bpf.STX: EmitStore(insn, pc); break;
            default: EmitControl(insn, pc); break;
        }
    }

    void EmitControl(Instruction insn, int pc)
    {
        switch (insn.Opcode)
        {
            case Opcode.Exit: EmitExit(); break;
            case Opcode.Callx: EmitCallx(insn, pc); break;
            case Opcode.Call when Flow.IsLocalCall(insn): EmitLocalCall(insn, pc); break;
            case Opcode.Call when Flow.IsTailCall(insn): EmitTailCall(pc); break;
            case Opcode.Call when Flow.IsHelperCall(insn): EmitHelperCall(insn, pc); break;
            case Opcode.Call when Kfuncs.Find(insn.Imm) is { } kfunc: EmitKfuncCall(kfunc, pc); break;
            case Opcode.Call:
                EmitThrow(() =>
                {
                    LoadProgram();
                    il.Emit(OpCodes.Ldc_I4, pc);
                    il.Emit(OpCodes.Ldc_I4, insn.Imm);
                    il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.Kfunc)));
                });
                break;
            default: EmitJump(insn, pc); break;
        }
    }

    /// <summary>The exit: hands the instruction count and the outputs back, returns r0.</summary>
    void EmitExit()
    {
        EmitSyncExecuted();
        EmitStoreRegisters(Out(function));
        Ld(0);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>The label for execution continuing at <paramref name="pc"/>: its instruction, or a stub that stops
    /// as the interpreter would there (outside the program; the second half of lddw).</summary>
    Label Target(int pc)
    {
        var position = (uint)pc < (uint)code.Length ? function.PositionOf(pc) : -1;
        if (position >= 0) return labels[position];
        if (stubs.TryGetValue(pc, out var stub)) return stub;
        stub = il.DefineLabel();
        stubs[pc] = stub;
        cold.Add(() =>
        {
            il.MarkLabel(stub);
            if ((uint)pc >= (uint)code.Length)
            {
                EmitThrowNow(() => { LoadProgram(); il.Emit(OpCodes.Ldc_I4, pc); il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.LeftProgram))); });
                return;
            }
            // The interpreter counts the slot, then finds no instruction in it.
            if (isChecked) EmitBudget(pc, 1);
            EmitThrowNow(() => { LoadProgram(); il.Emit(OpCodes.Ldc_I4, pc); il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.NotAnInstruction))); });
        });
        return stub;
    }

    /// <summary>Block lengths by position (0 where no block starts): a block starts at the entry, at every jump target
    /// and after every instruction that ends one, and runs along the fall-through path.</summary>
    int[] Blocks()
    {
        var pcs = function.Pcs;
        var leader = new bool[pcs.Length];
        if (function.PositionOf(function.Start) is >= 0 and var entry) leader[entry] = true;
        for (var i = 0; i < pcs.Length; i++)
        {
            var insn = code[pcs[i]];
            if (Flow.IsJump(insn.Opcode) && function.PositionOf(Flow.JumpTarget(insn, pcs[i])) is >= 0 and var target) leader[target] = true;
            if (Flow.EndsBlock(insn.Opcode) && function.PositionOf(Flow.Next(insn, pcs[i])) is >= 0 and var next) leader[next] = true;
        }
        var lengths = new int[pcs.Length];
        for (var i = 0; i < pcs.Length; i++)
        {
            if (!leader[i]) continue;
            var (j, n) = (i, 1);
            while (!Flow.EndsBlock(code[pcs[j]].Opcode) && function.PositionOf(Flow.Next(code[pcs[j]], pcs[j])) is >= 0 and var next && !leader[next])
                (j, n) = (next, n + 1);
            lengths[i] = n;
        }
        return lengths;
    }

    /// <summary>executed += n; past the budget, stop at the instruction the interpreter would have stopped at. Each
    /// check's cold side only pushes its block and jumps to the function's one throwing block: a throwing call per
    /// block made RyuJIT take 15 times as long over checked code as over unchecked (116 ms against 7 for 1000
    /// instructions).</summary>
    void EmitBudget(int blockStart, int length)
    {
        il.Emit(OpCodes.Ldloc, executed!);
        il.Emit(OpCodes.Ldc_I8, (long)length);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, executed!);
        il.Emit(OpCodes.Ldloc, budget!);
        var exhausted = il.DefineLabel();
        il.Emit(OpCodes.Bgt, exhausted);
        var shared = BudgetExhausted();
        cold.Add(() =>
        {
            il.MarkLabel(exhausted);
            il.Emit(OpCodes.Ldc_I4, blockStart);
            il.Emit(OpCodes.Ldc_I4, length);
            il.Emit(OpCodes.Br, shared);
        });
    }

    /// <summary>The block that throws the budget's exception for the block start and length on the IL stack.</summary>
    Label BudgetExhausted()
    {
        if (budgetExhausted is { } label) return label;
        budgetExhausted = label = il.DefineLabel();
        cold.Add(() =>
        {
            var (start, length) = (il.DeclareLocal(typeof(int)), il.DeclareLocal(typeof(int)));
            il.MarkLabel(label);
            il.Emit(OpCodes.Stloc, length);
            il.Emit(OpCodes.Stloc, start);
            EmitThrowNow(() =>
            {
                il.Emit(OpCodes.Ldarg_0);
                LoadProgram();
                il.Emit(OpCodes.Ldloc, start);
                il.Emit(OpCodes.Ldloc, executed!);
                il.Emit(OpCodes.Ldloc, length);
                il.Emit(OpCodes.Ldloc, budget!);
                il.Emit(OpCodes.Call, JitMethods.Runtime(nameof(JitRuntime.BudgetExhausted)));
            });
        });
        return label;
    }
}
