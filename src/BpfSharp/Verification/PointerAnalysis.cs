using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>A forward analysis over every path of a linked program that follows the context pointer (r1 on entry) and
/// frame pointers (r10 plus constants) through moves, constant arithmetic, 8-byte stack spills and BPF-to-BPF calls.
/// It learns what the kernel's verifier learns on the way: which loads and stores go through the context (the kernel
/// rewrites those, <c>convert_ctx_accesses</c>), and how deep each function uses its stack (<c>stack_depth</c>, which
/// the call-chain limits are made of).</summary>
internal sealed class PointerAnalysis
{
    sealed class State
    {
        public readonly PointerValue[] Registers = new PointerValue[11];
        public readonly Dictionary<int, PointerValue> Stack = new();

        public State Clone()
        {
            var copy = new State();
            Registers.CopyTo(copy.Registers, 0);
            foreach (var (k, v) in Stack) copy.Stack[k] = v;
            return copy;
        }

        public bool Merge(State other)
        {
            var changed = false;
            for (var i = 0; i < Registers.Length; i++)
            {
                var joined = Registers[i].Join(other.Registers[i]);
                changed |= joined != Registers[i];
                Registers[i] = joined;
            }
            foreach (var key in Stack.Keys.Union(other.Stack.Keys).ToList())
            {
                var joined = Stack.GetValueOrDefault(key, PointerValue.Other).Join(other.Stack.GetValueOrDefault(key, PointerValue.Other));
                changed |= !Stack.TryGetValue(key, out var old) || old != joined;
                Stack[key] = joined;
            }
            return changed;
        }

        public static State Entry(PointerValue r1)
        {
            var state = new State();
            Array.Fill(state.Registers, PointerValue.Other);
            state.Registers[1] = r1;
            state.Registers[10] = PointerValue.Stack(0);
            return state;
        }
    }

    readonly Instruction[] code;
    readonly int[] functionStarts;
    readonly State?[] states;
    readonly Stack<int> work = new();

    // Where paths may meet (the entry, function starts, jump and call targets): the only instructions whose incoming
    // state is kept. Between them a block's state is carried forward in place, not copied at every instruction.
    readonly bool[] joins;

    PointerAnalysis(Instruction[] code, IReadOnlyList<int> functionStarts)
    {
        this.code = code;
        this.functionStarts = functionStarts.Order().ToArray();
        states = new State?[code.Length];
        StackDepths = new int[this.functionStarts.Length];
        joins = new bool[code.Length];
        if (code.Length > 0) joins[0] = true;
        foreach (var start in this.functionStarts)
            if ((uint)start < (uint)code.Length) joins[start] = true;
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            var target = insn.Class is Bpf.JMP or Bpf.JMP32 && insn.Opcode is not (Opcode.Call or Opcode.Callx or Opcode.Exit)
                ? pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset)
                : insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL ? pc + 1 + insn.Imm : -1;
            if ((uint)target < (uint)code.Length) joins[target] = true;
        }
    }

    /// <summary>For each load, store and atomic: what its base register held (Context, Stack, Other, Mixed).</summary>
    public Dictionary<int, PointerKind> AccessBases { get; } = new();

    /// <summary>Bytes of stack each function uses (the largest -offset it touches), by function order.</summary>
    public int[] StackDepths { get; }

    /// <summary>Analyses a linked program whose functions start at <paramref name="functionStarts"/> (entry at 0).</summary>
    public static PointerAnalysis Run(Instruction[] code, IReadOnlyList<int> functionStarts)
    {
        var analysis = new PointerAnalysis(code, functionStarts);
        analysis.Flow(0, State.Entry(PointerValue.Context));
        while (analysis.work.Count > 0) analysis.Step(analysis.work.Pop());
        return analysis;
    }

    /// <summary>The function starts, ascending (the order of <see cref="StackDepths"/>).</summary>
    public int[] FunctionStarts => functionStarts;

    /// <summary>Index into <see cref="StackDepths"/> of the function holding <paramref name="pc"/>.</summary>
    public int FunctionOf(int pc)
    {
        var i = Array.BinarySearch(functionStarts, pc);
        return i >= 0 ? i : Math.Max(0, ~i - 1);
    }

    /// <summary>Runs the block that starts at <paramref name="pc"/> on the state kept there, up to the next join.</summary>
    void Step(int pc)
    {
        var state = states[pc]!.Clone();
        while (true)
        {
            // A path through a slot that does not decode (r15, reserved fields) ends there, as it does in the kernel's
            // verifier and at run time: programs loaded unverified, or refused for it, still load with an answer.
            if (!InstructionDecoder.TryDecode(code, pc, out _)) return;
            var insn = code[pc];
            var cls = insn.Class;
            if (cls is Bpf.LDX or Bpf.ST or Bpf.STX && Bpf.Mode((byte)insn.Opcode) is Bpf.MEM or Bpf.MEMSX or Bpf.ATOMIC)
            {
                var address = state.Registers[(int)(cls == Bpf.LDX || IsLoadAcquire(insn) ? insn.Src : insn.Dst)];
                AccessBases[pc] = address.Kind; // states only grow, so the last visit saw the join of every path
                Touch(pc, address, insn.Offset);
            }
            Transfer(state, insn, pc);
            if (insn.Opcode == Opcode.Exit) return;
            if (cls is Bpf.JMP or Bpf.JMP32 && insn.Opcode is not (Opcode.Call or Opcode.Callx))
            {
                Flow(pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset), state);
                if (insn.Opcode is Opcode.Ja or Opcode.Ja32) return;
            }
            var next = pc + (insn.Opcode == Opcode.Lddw ? 2 : 1);
            if ((uint)next >= (uint)code.Length || joins[next])
            {
                Flow(next, state);
                return;
            }
            pc = next;
        }
    }

    /// <summary>Records how deep an access (or a pointer handed to a helper) reaches into the frame.</summary>
    void Touch(int pc, PointerValue address, int offset)
    {
        if (address.Kind != PointerKind.Stack) return;
        var depth = -(address.Low + offset);
        var function = FunctionOf(pc);
        if (depth > StackDepths[function]) StackDepths[function] = depth;
    }

    void Flow(int target, State state)
    {
        if ((uint)target >= (uint)states.Length) return; // the structural checks report jumps out of range
        if (states[target] is null)
        {
            states[target] = state.Clone();
            work.Push(target);
        }
        else if (states[target]!.Merge(state))
            work.Push(target);
    }

    void Transfer(State state, Instruction insn, int pc)
    {
        var r = state.Registers;
        var dst = (int)insn.Dst;
        switch (insn.Opcode)
        {
            case Opcode.Mov64Reg when insn.Offset == 0:
                r[dst] = r[(int)insn.Src];
                return;
            case Opcode.Add64Imm:
                r[dst] = r[dst].Add(insn.Imm);
                return;
            case Opcode.Sub64Imm:
                r[dst] = r[dst].Add(-(long)insn.Imm);
                return;
            case Opcode.Call when insn.Src == (Register)Bpf.PSEUDO_CALL:
            {
                // The callee gets a frame of its own and the caller's r1-r5.
                var callee = State.Entry(PointerValue.Other);
                for (var i = 1; i <= 5; i++) callee.Registers[i] = r[i];
                Flow(pc + 1 + insn.Imm, callee);
                for (var i = 0; i <= 5; i++) r[i] = PointerValue.Other;
                return;
            }
            case Opcode.Call or Opcode.Callx:
                // A helper may read or write the stack memory its arguments point to.
                for (var i = 1; i <= 5; i++) Touch(pc, r[i], 0);
                for (var i = 0; i <= 5; i++) r[i] = PointerValue.Other;
                return;
        }
        switch (insn.Class)
        {
            case Bpf.ALU or Bpf.ALU64:
                r[dst] = PointerValue.Other;
                break;
            case Bpf.LD:
                r[insn.Opcode == Opcode.Lddw ? dst : 0] = PointerValue.Other; // LD_ABS/LD_IND write r0
                break;
            case Bpf.LDX:
            case Bpf.STX when IsLoadAcquire(insn):
                r[dst] = insn.Opcode is Opcode.LdxDw or Opcode.AtomicDw && r[(int)insn.Src] is { Kind: PointerKind.Stack } slot && slot.Low == slot.High
                    ? state.Stack.GetValueOrDefault(slot.Low + insn.Offset, PointerValue.Other)
                    : PointerValue.Other;
                break;
            case Bpf.ST or Bpf.STX:
                Store(state, insn);
                break;
        }
    }

    /// <summary>A load-acquire loads dst through src, unlike the other atomics, which write through dst.</summary>
    static bool IsLoadAcquire(Instruction insn) =>
        insn.Class == Bpf.STX && Bpf.Mode((byte)insn.Opcode) == Bpf.ATOMIC && insn.Imm == Bpf.LOAD_ACQ;

    /// <summary>A spill of a whole register keeps what it holds; any other write clobbers the slots it may touch.</summary>
    static void Store(State state, Instruction insn)
    {
        var r = state.Registers;
        var address = r[(int)insn.Dst];
        if (insn.Opcode is Opcode.AtomicW or Opcode.AtomicDw)
        {
            if (insn.Imm == Bpf.CMPXCHG) r[0] = PointerValue.Other;
            else if ((insn.Imm & Bpf.FETCH) != 0) r[(int)insn.Src] = PointerValue.Other;
        }
        if (address.Kind != PointerKind.Stack) return;
        var low = address.Low + insn.Offset;
        var high = address.High + insn.Offset + Bpf.SizeInBytes((byte)insn.Opcode);
        foreach (var slot in state.Stack.Keys.Where(k => k < high && low < k + 8).ToList())
            state.Stack[slot] = PointerValue.Other;
        if ((insn.Opcode == Opcode.StxDw || insn.Opcode == Opcode.AtomicDw && insn.Imm == Bpf.STORE_REL) && address.Low == address.High)
            state.Stack[low] = r[(int)insn.Src];
    }
}
