using BpfSharp.Isa;

namespace BpfSharp.Verification;

/// <summary>Which registers and stack slots hold numbers whose exact value can matter for safety from each instruction
/// on. Only those are compared exactly when pruning; a counter that only reaches the return value does not keep two
/// states apart. The kernel learns this by backtracking (<c>mark_chain_precision</c>) when a value is first used in a
/// way that matters; this is a conservative static version: values that may reach a pointer offset, a helper's size
/// argument, a callback's return value, or a comparison (whose outcome decides which paths are explored).</summary>
internal sealed class Precision
{
    readonly ushort[] registers;
    readonly ulong[] slots;

    Precision(int length)
    {
        registers = new ushort[length];
        slots = new ulong[length];
    }

    /// <summary>Whether register <paramref name="r"/> must be compared exactly at <paramref name="pc"/>.</summary>
    public bool Register(int pc, int r) => (registers[pc] & (1 << r)) != 0;

    /// <summary>Whether the 8-byte stack slot <paramref name="slot"/> of the running frame must be compared exactly.</summary>
    public bool Slot(int pc, int slot) => (slots[pc] & (1UL << slot)) != 0;

    public static Precision Compute(Instruction[] code, ControlFlow flow, Func<int, HelperPrototype> prototype)
    {
        var callbacks = new HashSet<int>();
        for (var pc = 0; pc + 1 < code.Length; pc++)
            if (code[pc].Opcode == Opcode.Lddw && code[pc].Src == (Register)Bpf.PSEUDO_FUNC) callbacks.Add(flow.FunctionOf(pc + 1 + code[pc].Imm));
        var maybePointer = MaybePointers(code, flow, prototype);
        var result = new Precision(code.Length);
        var calls = new List<(int Site, int Target)>();
        for (var pc = 0; pc < code.Length; pc++)
            if (code[pc].Opcode == Opcode.Call && code[pc].Src == (Register)Bpf.PSEUDO_CALL) calls.Add((pc, pc + 1 + code[pc].Imm));
        bool changed;
        do
        {
            changed = false;
            for (var pc = code.Length - 1; pc >= 0; pc--)
            {
                if (pc > 0 && code[pc - 1].Opcode == Opcode.Lddw) continue;
                var (regsOut, slotsOut) = Out(result, code, flow, pc, calls);
                var (regsIn, slotsIn) = Transfer(code[pc], pc, regsOut, slotsOut, maybePointer, prototype, result,
                    isCallback: callbacks.Contains(flow.FunctionOf(pc)));
                if (regsIn != result.registers[pc] || slotsIn != result.slots[pc])
                {
                    result.registers[pc] = regsIn;
                    result.slots[pc] = slotsIn;
                    changed = true;
                }
            }
        }
        while (changed);
        return result;
    }

    static (ushort, ulong) Out(Precision p, Instruction[] code, ControlFlow flow, int pc, List<(int Site, int Target)> calls)
    {
        var insn = code[pc];
        int regs = 0;
        ulong slots = 0;
        void Add(int target) { regs |= p.registers[target]; slots |= p.slots[target]; }
        if (insn.Opcode == Opcode.Exit)
        {
            // A subprogram's r0 matters if any caller needs it after the call.
            var function = flow.FunctionOf(pc);
            foreach (var (site, target) in calls)
                if (flow.FunctionOf(target) == function && site + 1 < code.Length && (p.registers[site + 1] & 1) != 0) regs |= 1;
            return ((ushort)regs, slots);
        }
        var end = flow.FunctionEnd(flow.FunctionOf(pc));
        if (ControlFlow.IsJump(insn))
        {
            Add(pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset));
            if (insn.Opcode is Opcode.Ja or Opcode.Ja32) return ((ushort)regs, slots);
        }
        var next = pc + (insn.Opcode == Opcode.Lddw ? 2 : 1);
        if (next < end) Add(next);
        return ((ushort)regs, slots);
    }

    static (ushort, ulong) Transfer(Instruction insn, int pc, int regs, ulong slots, ushort[] maybePointer,
        Func<int, HelperPrototype> prototype, Precision p, bool isCallback)
    {
        int dst = (int)insn.Dst, src = (int)insn.Src, dstBit = 1 << dst, srcBit = 1 << src;
        var registerSource = Bpf.Source((byte)insn.Opcode) == Bpf.X;
        switch (insn.Class)
        {
            case Bpf.ALU or Bpf.ALU64:
            {
                var op = Bpf.Op((byte)insn.Opcode);
                var needed = (regs & dstBit) != 0;
                if (op == Bpf.MOV) regs &= ~dstBit;
                if (needed && registerSource) regs |= srcBit | (op == Bpf.MOV ? 0 : dstBit);
                // A number added to a pointer becomes its variable offset: its bounds decide what may be accessed.
                if (registerSource && op is Bpf.ADD or Bpf.SUB && (maybePointer[pc] & dstBit) != 0) regs |= srcBit;
                break;
            }
            case Bpf.LDX:
                if ((regs & dstBit) != 0)
                {
                    regs &= ~dstBit;
                    if (src == 10 && insn.Offset < 0) slots |= 1UL << ((-insn.Offset - 1) / 8);
                    else slots = ulong.MaxValue; // a fill through another stack pointer: keep every slot exact
                }
                break;
            case Bpf.STX when dst == 10 && insn.Offset < 0 && insn.Opcode is not (Opcode.AtomicW or Opcode.AtomicDw):
            {
                var slot = (-insn.Offset - 1) / 8;
                if ((slots & (1UL << slot)) != 0) regs |= srcBit;
                break;
            }
            case Bpf.LD when insn.Opcode == Opcode.Lddw:
                regs &= ~dstBit;
                break;
            case Bpf.JMP or Bpf.JMP32:
                if (insn.Opcode == Opcode.Call)
                {
                    regs &= ~0b111111;
                    if (insn.Src == (Register)Bpf.PSEUDO_CALL)
                        regs |= p.registers[pc + 1 + insn.Imm] & 0b111110;
                    else
                    {
                        var args = prototype(insn.Imm).Arguments;
                        for (var i = 0; i < args.Length; i++)
                            if (args[i] is ArgKind.Size or ArgKind.SizeOrZero or ArgKind.AllocationSize) regs |= 1 << (i + 1);
                    }
                }
                else if (insn.Opcode == Opcode.Exit && isCallback)
                    regs |= 1; // a callback's r0 is range-checked
                else if (ControlFlow.IsJump(insn) && insn.Opcode is not (Opcode.Ja or Opcode.Ja32))
                    regs |= dstBit | (registerSource ? srcBit : 0);
                break;
        }
        return ((ushort)(regs & 0x3ff), slots);
    }

    /// <summary>A forward pass: which registers may hold a pointer at each instruction.</summary>
    static ushort[] MaybePointers(Instruction[] code, ControlFlow flow, Func<int, HelperPrototype> prototype)
    {
        var state = new ushort[code.Length];
        var reached = new bool[code.Length];
        var work = new Stack<(int, ushort)>();
        work.Push((0, 1 << 1 | 1 << 10));
        while (work.Count > 0)
        {
            var (pc, regs) = work.Pop();
            if (pc >= code.Length) continue;
            if (reached[pc] && (state[pc] | regs) == state[pc]) continue;
            reached[pc] = true;
            state[pc] |= regs;
            regs = state[pc];
            var insn = code[pc];
            int dst = (int)insn.Dst, src = (int)insn.Src, dstBit = 1 << dst, srcBit = 1 << src;
            var next = pc + 1;
            switch (insn.Class)
            {
                case Bpf.ALU or Bpf.ALU64:
                    var op = Bpf.Op((byte)insn.Opcode);
                    var registerSource = Bpf.Source((byte)insn.Opcode) == Bpf.X;
                    if (op == Bpf.MOV) regs = (ushort)((regs & ~dstBit) | (registerSource && insn.Class == Bpf.ALU64 && (regs & srcBit) != 0 ? dstBit : 0));
                    else if (op is Bpf.ADD && registerSource && (regs & srcBit) != 0) regs |= (ushort)dstBit;
                    else if (op is not (Bpf.ADD or Bpf.SUB)) regs &= (ushort)~dstBit;
                    break;
                case Bpf.LDX:
                    regs |= (ushort)dstBit; // a fill, or a packet pointer from the context
                    break;
                case Bpf.LD:
                    if (insn.Opcode == Opcode.Lddw)
                    {
                        regs = (ushort)(insn.Src != 0 ? regs | dstBit : regs & ~dstBit);
                        next = pc + 2;
                    }
                    else regs &= 0xffc0;
                    break;
                case Bpf.JMP or Bpf.JMP32:
                    if (insn.Opcode == Opcode.Exit) continue;
                    if (insn.Opcode == Opcode.Call)
                    {
                        if (insn.Src == (Register)Bpf.PSEUDO_CALL) work.Push((pc + 1 + insn.Imm, (ushort)((regs & 0b111110) | 1 << 10)));
                        regs = (ushort)(regs & ~0b111111 | 1); // r0 may be a pointer a helper or function returned
                        break;
                    }
                    if (ControlFlow.IsJump(insn))
                    {
                        work.Push((pc + 1 + (insn.Opcode == Opcode.Ja32 ? insn.Imm : insn.Offset), regs));
                        if (insn.Opcode is Opcode.Ja or Opcode.Ja32) continue;
                    }
                    break;
            }
            if (next < code.Length && flow.FunctionOf(next) == flow.FunctionOf(pc)) work.Push((next, regs));
        }
        return state;
    }
}
