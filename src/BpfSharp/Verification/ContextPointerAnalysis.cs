using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>Finds the loads and stores whose base register holds the context pointer (r1 on entry), through moves,
/// 8-byte stack spills and BPF-to-BPF calls, on every path. The kernel's verifier learns the same thing while
/// checking a program and then rewrites those accesses (<c>convert_ctx_accesses</c>); BpfSharp rewrites the loads of
/// pointer fields such as <c>__sk_buff.data</c>, which the uapi declares as 32-bit but which hold 64-bit pointers.</summary>
internal static class ContextPointerAnalysis
{
    enum Value : byte { Unreached, Context, Other, Mixed }

    static Value Join(Value a, Value b) => a == b || b == Value.Unreached ? a : a == Value.Unreached ? b : Value.Mixed;

    /// <summary>What is known at one instruction: the registers, and the 8-byte stack slots of the current frame.</summary>
    sealed class State
    {
        public readonly Value[] Registers = new Value[11];
        public readonly Dictionary<short, Value> Stack = new();

        public State Clone()
        {
            var copy = new State();
            Registers.CopyTo(copy.Registers, 0);
            foreach (var (k, v) in Stack) copy.Stack[k] = v;
            return copy;
        }

        /// <summary>Joins <paramref name="other"/> into this state; true if anything changed.</summary>
        public bool Merge(State other)
        {
            var changed = false;
            for (var i = 0; i < Registers.Length; i++)
            {
                var joined = Join(Registers[i], other.Registers[i]);
                changed |= joined != Registers[i];
                Registers[i] = joined;
            }
            foreach (var key in Stack.Keys.Union(other.Stack.Keys).ToList())
            {
                var joined = Join(Stack.GetValueOrDefault(key, Value.Other), other.Stack.GetValueOrDefault(key, Value.Other));
                changed |= !Stack.TryGetValue(key, out var old) || old != joined;
                Stack[key] = joined;
            }
            return changed;
        }
    }

    /// <summary>For each instruction: whether its memory operand's base is certainly the context (true), certainly
    /// not (false), or differs between paths (null). Only loads, stores and atomics get an entry.</summary>
    public static Dictionary<int, bool?> Analyze(ReadOnlySpan<Instruction> code)
    {
        var states = new State?[code.Length];
        var entry = new State();
        Array.Fill(entry.Registers, Value.Other);
        entry.Registers[1] = Value.Context;
        var work = new Stack<int>();
        Flow(states, work, 0, entry);
        var code2 = code.ToArray();
        var result = new Dictionary<int, bool?>();
        while (work.Count > 0)
        {
            var pc = work.Pop();
            var state = states[pc]!.Clone();
            var insn = code2[pc];
            var next = pc + (insn.Opcode == Opcode.Lddw ? 2 : 1);
            var cls = insn.Class;
            if (cls is Bpf.LDX or Bpf.ST or Bpf.STX && Bpf.Mode((byte)insn.Opcode) is Bpf.MEM or Bpf.MEMSX or Bpf.ATOMIC)
            {
                var baseValue = state.Registers[(int)(cls == Bpf.LDX ? insn.Src : insn.Dst)];
                result[pc] = baseValue switch { Value.Context => true, Value.Mixed => null, _ => false };
            }
            Transfer(state, insn, code2, pc, states, work);
            if (IsUnconditionalExit(insn)) continue;
            if (insn.Class is Bpf.JMP or Bpf.JMP32 && insn.Opcode is not (Opcode.Call or Opcode.Callx or Opcode.Exit))
            {
                var target = pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset);
                Flow(states, work, target, state);
                if (insn.Opcode is Opcode.Ja or Opcode.Ja32) continue;
            }
            Flow(states, work, next, state);
        }
        return result;
    }

    static bool IsUnconditionalExit(Instruction insn) => insn.Opcode == Opcode.Exit;

    static void Flow(State?[] states, Stack<int> work, int target, State state)
    {
        if ((uint)target >= (uint)states.Length) return; // the verifier reports jumps out of range; nothing to learn here
        if (states[target] is null)
        {
            states[target] = state.Clone();
            work.Push(target);
        }
        else if (states[target]!.Merge(state))
            work.Push(target);
    }

    static void Transfer(State state, Instruction insn, Instruction[] code, int pc, State?[] states, Stack<int> work)
    {
        var r = state.Registers;
        var dst = (int)insn.Dst;
        switch (insn.Class)
        {
            case Bpf.ALU64 when insn.Opcode == Opcode.Mov64Reg && insn.Offset == 0:
                r[dst] = r[(int)insn.Src];
                break;
            case Bpf.ALU or Bpf.ALU64:
                r[dst] = Value.Other;
                break;
            case Bpf.LD:
                if (insn.Opcode == Opcode.Lddw) r[dst] = Value.Other;
                else r[0] = Value.Other; // LD_ABS/LD_IND write r0
                break;
            case Bpf.LDX:
                r[dst] = insn.Src == Register.R10 && insn.Opcode == Opcode.LdxDw
                    ? state.Stack.GetValueOrDefault(insn.Offset, Value.Other)
                    : Value.Other;
                break;
            case Bpf.ST or Bpf.STX when insn.Dst == Register.R10:
                // A spill of a whole register keeps what it holds; any other write to the stack clobbers the slots it touches.
                var size = Bpf.SizeInBytes((byte)insn.Opcode);
                foreach (var slot in state.Stack.Keys.Where(k => k < insn.Offset + size && insn.Offset < k + 8).ToList())
                    state.Stack[slot] = Value.Other;
                if (insn.Opcode == Opcode.StxDw) state.Stack[insn.Offset] = r[(int)insn.Src];
                if (insn.Opcode == Opcode.AtomicDw && (insn.Imm & Bpf.FETCH) != 0) r[(int)insn.Src] = Value.Other;
                break;
            case Bpf.STX when insn.Opcode is Opcode.AtomicW or Opcode.AtomicDw:
                if (insn.Imm == Bpf.CMPXCHG) r[0] = Value.Other;
                else if ((insn.Imm & Bpf.FETCH) != 0) r[(int)insn.Src] = Value.Other;
                break;
            case Bpf.JMP when insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL:
            {
                // The callee starts a frame of its own with the caller's r1-r5.
                var callee = new State();
                Array.Fill(callee.Registers, Value.Other);
                for (var i = 1; i <= 5; i++) callee.Registers[i] = r[i];
                Flow(states, work, pc + 1 + insn.Imm, callee);
                for (var i = 0; i <= 5; i++) r[i] = Value.Other;
                break;
            }
            case Bpf.JMP when insn.Opcode is Opcode.Call or Opcode.Callx:
                for (var i = 0; i <= 5; i++) r[i] = Value.Other;
                break;
        }
    }
}
