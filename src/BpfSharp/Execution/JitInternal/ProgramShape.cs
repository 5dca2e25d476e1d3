using BpfSharp.Isa;

namespace BpfSharp.Execution.JitInternal;

/// <summary>The functions the JIT makes methods of: the entry, every local-call target and every function pointer
/// the program holds (lddw of a <see cref="FunctionPointer"/> value: a callback). Each function's method holds the
/// instructions reachable from its start without calls, so code shared by two functions (possible only in
/// unverified programs) is compiled into both.</summary>
internal sealed class ProgramShape
{
    public ProgramShape(ExecutableProgram program)
    {
        Program = program;
        Code = program.Code.ToArray();
        var stamp = new int[Code.Length];
        var pending = new Stack<int>();
        pending.Push(0);
        for (var pc = 0; pc < Code.Length; pc = Flow.Next(Code[pc], pc))
            if (Code[pc].Opcode == Opcode.Lddw && pc + 1 < Code.Length
                && FunctionPointer.TryDecode((uint)Code[pc].Imm | (ulong)(uint)Code[pc + 1].Imm << 32, out var callback)
                && callback < Code.Length && Code[callback].Opcode != Opcode.Invalid)
                pending.Push(callback);
        while (pending.TryPop(out var start))
        {
            if (Functions.ContainsKey(start)) continue;
            var function = new FunctionShape(start, Functions.Count, Reach(start, stamp, Functions.Count + 1));
            Functions[start] = function;
            foreach (var pc in function.Pcs)
                if (Flow.IsLocalCall(Code[pc]) && (uint)Flow.CallTarget(Code[pc], pc) < (uint)Code.Length)
                    pending.Push(Flow.CallTarget(Code[pc], pc));
        }
        Liveness.Solve(this);
    }

    public ExecutableProgram Program { get; }

    public Instruction[] Code { get; }

    /// <summary>By start slot.</summary>
    public Dictionary<int, FunctionShape> Functions { get; } = new();

    /// <summary>The function a local call at <paramref name="pc"/> enters, or null when the target is outside the
    /// program.</summary>
    public FunctionShape? Callee(int pc) => Functions.GetValueOrDefault(Flow.CallTarget(Code[pc], pc));

    int[] Reach(int start, int[] stamp, int mark)
    {
        var pcs = new List<int>();
        var work = new Stack<int>();
        Visit(start);
        while (work.TryPop(out var pc))
        {
            pcs.Add(pc);
            var insn = Code[pc];
            if (Flow.IsJump(insn.Opcode)) Visit(Flow.JumpTarget(insn, pc));
            if (Flow.FallsThrough(Code, insn, pc) && !Flow.IsUnconditionalJump(insn.Opcode)) Visit(Flow.Next(insn, pc));
        }
        pcs.Sort();
        return pcs.ToArray();

        // Slots outside the program and second halves of lddw are not instructions: the emitter gives them stubs.
        void Visit(int pc)
        {
            if ((uint)pc >= (uint)Code.Length || Code[pc].Opcode == Opcode.Invalid || stamp[pc] == mark) return;
            stamp[pc] = mark;
            work.Push(pc);
        }
    }
}

/// <summary>One function: its reachable slots in order, and the registers it exchanges through the invocation's
/// register block besides its arguments (see <see cref="Liveness"/>).</summary>
internal sealed class FunctionShape(int start, int index, int[] pcs)
{
    public int Start { get; } = start;

    /// <summary>Its method's number in the generated type.</summary>
    public int Index { get; } = index;

    /// <summary>Reachable instruction slots, ascending.</summary>
    public int[] Pcs { get; } = pcs;

    /// <summary>r0 and r6-r9 its callers must leave in the block: those it reads before writing, and those it passes
    /// on untouched to its own callees and tail-call targets.</summary>
    public int In { get; set; }

    /// <summary>r0 and r6-r9 it reads before writing: loaded from the block at entry.</summary>
    public int Load { get; set; }

    /// <summary>By position: r0 and r6-r9 that may differ from the block's copy (see <see cref="Liveness"/>).</summary>
    public int[] Dirty { get; set; } = [];

    /// <summary>r1-r5 a caller reads after calling it: it hands its last values back at exit.</summary>
    public int Out { get; set; }

    public int PositionOf(int pc) => Array.BinarySearch(Pcs, pc);
}
